using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SdServerless.Contracts.Serialization;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class GuidanceApiTests(ApiFixture fixture)
{
    private static string Request(string id, string? replace = null)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Apis", "guidance-text-to-image.json")).Replace("test-t2i-REPLACE", id);
        return replace is null ? text : text.Replace("\"A dog\"", replace);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task GuidanceRequestRoundTripsToTheQueueAndTheTask()
    {
        using var client = fixture.Client();
        var id = $"t2i-{Guid.NewGuid():N}";

        var response = await client.PostAsync("/v1alpha2", Json(Request(id)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var taskId = answer.GetProperty("id").GetString()!;
        Assert.StartsWith(id + "-", taskId);
        Assert.Equal("sdruntime", answer.GetProperty("runtime").GetString());
        Assert.Equal($"s3://{fixture.OutputBucket}/outputs/output/{taskId}", answer.GetProperty("output_location").GetString());
        id = taskId;

        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.RuntimeQueueUrl, id);
        var body = JsonSerializer.Deserialize(message.Body, ContractsJsonContext.Default.GenerateImageRequested)!;
        Assert.Equal("A dog", body.Parameters.Prompt);
        Assert.Equal(16, body.Parameters.Steps);
        Assert.Equal("outputs/output", body.Output.Prefix);
        Assert.Equal(JsonValueKind.String, body.Context?.ValueKind);

        var task = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");
        Assert.Equal("queued", task.GetProperty("status").GetString());
    }

    [Fact]
    public async Task SameIdAndBodyAgainAnswersTheSame()
    {
        using var client = fixture.Client();
        var id = $"again-{Guid.NewGuid():N}";

        var first = await client.PostAsync("/v1alpha2", Json(Request(id)));
        var second = await client.PostAsync("/v1alpha2", Json(Request(id)));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExistingIdWithADifferentBodyIs409()
    {
        using var client = fixture.Client();
        var id = $"dup-{Guid.NewGuid():N}";

        await client.PostAsync("/v1alpha2", Json(Request(id)));
        var conflict = await client.PostAsync("/v1alpha2", Json(Request(id, "\"A cat\"")));

        await ProblemAssert.IsProblemAsync(conflict, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UnsupportedTaskTypeIs422NamingTheSupportedOnes()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("/v1alpha2", Json(Request($"x-{Guid.NewGuid():N}").Replace("text-to-image", "extra-single-image")));

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("text-to-image, image-to-image", errors["task.metadata.tasktype"][0]);
    }

    [Theory]
    [InlineData("payloads", "outputs/payloads")]
    [InlineData("models/sdruntime", "outputs/models/sdruntime")]
    [InlineData("outputsx/a", "outputs/outputsx/a")]
    [InlineData("outputs/mine", "outputs/mine")]
    [InlineData("outputs", "outputs")]
    public async Task APrefixAlwaysLiesUnderTheOutputPrefix(string prefix, string stored)
    {
        using var client = fixture.Client();
        var id = $"x-{Guid.NewGuid():N}";
        var body = System.Text.Json.Nodes.JsonNode.Parse(Request(id))!;
        body["task"]!["metadata"]!["prefix"] = prefix;

        var response = await client.PostAsync("/v1alpha2", Json(body.ToJsonString()));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"s3://{fixture.OutputBucket}/{stored}/{answer.GetProperty("id").GetString()}", answer.GetProperty("output_location").GetString());
    }

    [Fact]
    public async Task BadIdIsNamed()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("/v1alpha2", Json(Request("has spaces/and slashes")));

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("task.metadata.id", errors.Keys);
    }

    [Fact]
    public async Task AnIdAnotherKeyChoseAnswersAsAFreeIdWould()
    {
        var id = $"shared-{Guid.NewGuid():N}";
        using var other = fixture.Client(ApiFixture.KeyB);
        using var client = fixture.Client();
        var taken = await other.PostAsync("/v1alpha2", Json(Request(id, "\"A cat\"")));
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var othersTask = (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var response = await client.PostAsync("/v1alpha2", Json(Request(id)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mine = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.StartsWith(id + "-", mine);
        Assert.NotEqual(othersTask, mine);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/tasks/{othersTask}")).StatusCode);
        Assert.Equal("A dog", (await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{mine}")).GetProperty("parameters").GetProperty("prompt").GetString());
        Assert.Equal("A cat", (await other.GetFromJsonAsync<JsonElement>($"/v1/tasks/{othersTask}")).GetProperty("parameters").GetProperty("prompt").GetString());
    }

    [Fact]
    public async Task AChosenIdTooLongToScopeIsNamed()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("/v1alpha2", Json(Request(new string('a', 52))));

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("1 to 51", errors["task.metadata.id"][0]);
    }
}
