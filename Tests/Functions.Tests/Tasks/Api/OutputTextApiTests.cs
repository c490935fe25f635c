using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.Functions.Tests.Tasks.Views;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class OutputTextApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task AnswersTheInfotextOfTheCallersOutput()
    {
        var id = await RecordSucceededTaskAsync(new TestPng().Chunk("IHDR", new byte[13]).Text("parameters", "a lighthouse\nSteps: 4, Seed: 42").Chunk("IDAT", [0]).ToArray());
        using var client = fixture.Client();

        var answer = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}/outputs/0/text");

        Assert.Equal("a lighthouse\nSteps: 4, Seed: 42", answer.GetProperty("text").GetProperty("parameters").GetString());
    }

    [Fact]
    public async Task AnotherCallerAndAMissingOutputAreNotFound()
    {
        var id = await RecordSucceededTaskAsync(new TestPng().Chunk("IDAT", [0]).ToArray());

        using var other = fixture.Client(ApiFixture.KeyB);
        using var owner = fixture.Client();

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/tasks/{id}/outputs/0/text")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/v1/tasks/{id}/outputs/1/text")).StatusCode);
    }

    [Fact]
    public async Task AnIdNoTaskCanHaveIsRefusedByTheIdRuleBeforeAnyStoreIsAsked()
    {
        using var client = fixture.Client();

        var response = await client.GetAsync($"/v1/tasks/{new string('a', 2048)}/outputs/0/text");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("\"id\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutputThatIsNotAPngIsABadGateway()
    {
        var id = await RecordSucceededTaskAsync("not a png at all"u8.ToArray());
        using var client = fixture.Client();

        var response = await client.GetAsync($"/v1/tasks/{id}/outputs/0/text");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    private async Task<string> RecordSucceededTaskAsync(byte[] image)
    {
        var id = $"t{Guid.NewGuid():N}";
        var key = $"outputs/{id}/0.png";
        await fixture.S3.PutObjectAsync(new PutObjectRequest { BucketName = fixture.OutputBucket, Key = key, InputStream = new MemoryStream(image) });
        var now = DateTimeOffset.UtcNow;
        await fixture.Tasks.CreateAsync(new TaskRecord
        {
            Id = id,
            Owner = ApiKeyAuthenticator.OwnerOf(Encoding.UTF8.GetBytes(ApiFixture.KeyA)),
            Status = TaskStatuses.Succeeded,
            Runtime = "sdruntime",
            TaskType = TaskTypes.TextToImage,
            RequestJson = "{}",
            RequestHash = id,
            Output = new TaskOutputLocation(fixture.OutputBucket, "outputs"),
            CreatedAt = now,
            FinishedAt = now,
            Outputs = [new TaskOutput($"s3://{fixture.OutputBucket}/{key}", 42)],
            ExpiresAt = now.AddDays(1).ToUnixTimeSeconds(),
        }, CancellationToken.None);
        return id;
    }
}
