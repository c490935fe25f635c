using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using Microsoft.Extensions.DependencyInjection;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

[Collection(ApiCollection.Name)]
public class SubmitTaskTests(ApiFixture fixture)
{
    [Fact]
    public async Task SubmitAnswers202WithLocationAndTheQueuedTask()
    {
        using var client = fixture.Client();

        var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "a red fox", steps = 12, metadata = new { order = 7 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var task = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = task.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/tasks/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("queued", task.GetProperty("status").GetString());
        Assert.Equal("sdruntime", task.GetProperty("runtime").GetString());
        Assert.Equal(7, task.GetProperty("metadata").GetProperty("order").GetInt32());
        Assert.Equal($"s3://{fixture.OutputBucket}/outputs/{id}", task.GetProperty("output_location").GetString());

        var fetched = await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}");
        Assert.Equal("queued", fetched.GetProperty("status").GetString());
        Assert.Equal(0, fetched.GetProperty("outputs").GetArrayLength());
    }

    [Fact]
    public async Task SubscriberQueueSeesTheMessageWithRoutingAndTraceAttributes()
    {
        using var client = fixture.Client();

        var response = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "sdturbo", prompt = "a lighthouse", sampler_name = "euler a", seed = 42 });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuesdturbo"].Ref, id);
        var body = JsonSerializer.Deserialize(message.Body, ContractsJsonContext.Default.GenerateImageRequested)!;
        Assert.Equal("sdturbo", message.MessageAttributes[MessageAttributeNames.Runtime].StringValue);
        Assert.Equal(TaskTypes.TextToImage, message.MessageAttributes[MessageAttributeNames.TaskType].StringValue);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", message.MessageAttributes[MessageAttributeNames.TraceParent].StringValue);
        Assert.Equal("Euler a", body.Parameters.SamplerName);
        Assert.Equal(42, body.Parameters.Seed);
        Assert.Equal(new TaskOutputLocation(fixture.OutputBucket, "outputs"), body.Output);
        Assert.Null(body.PayloadS3Uri);
    }

    [Fact]
    public async Task PublishCarriesTheXRayTraceHeaderOfTheSameTrace()
    {
        var recorder = new HeaderRecorder("X-Amzn-Trace-Id") { InnerHandler = new SocketsHttpHandler() };
        await using var factory = fixture.CreateFactory(new Dictionary<string, string>(), services =>
            services.AddSingleton(fixture.Stack.Connection.CreateSnsClient(new HttpClient(recorder))));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyA);

        var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "traced" });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.RuntimeQueueUrl, id);

        var traceId = message.MessageAttributes[MessageAttributeNames.TraceParent].StringValue.Split('-')[1];
        var header = Assert.Single(recorder.Values);
        Assert.StartsWith($"Root=1-{traceId[..8]}-{traceId[8..]};Parent=", header);
    }

    [Fact]
    public async Task InvalidRequestNamesEveryBadFieldAndPublishesNothing()
    {
        using var client = fixture.Client();

        var response = await client.PostAsJsonAsync("/v1/tasks", new
        {
            runtime = "sdxl-unknown", width = 513, height = 32, steps = 151, cfg_scale = -1, seed = 4294967296L, batch_size = 0,
            sampler_name = "Nope", callback_url = "https://169.254.169.254/latest/meta-data",
        });

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["batch_size", "callback_url", "cfg_scale", "height", "runtime", "sampler_name", "seed", "steps", "width"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("sdruntime, sdturbo, comfy", errors["runtime"][0]);
        var page = await client.GetFromJsonAsync<JsonElement>("/v1/tasks?limit=100");
        Assert.DoesNotContain(page.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("runtime").GetString() == "sdxl-unknown");
    }

    [Fact]
    public async Task WrongTypeIsA400NamingTheField()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("/v1/tasks", new StringContent("""{"prompt":"x","width":"wide"}""", Encoding.UTF8, "application/json"));

        var errors = await ProblemAssert.FieldErrorsAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("width", errors.Keys);
    }

    [Fact]
    public async Task MalformedJsonIsA400()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("/v1/tasks", new StringContent("{\"prompt\":", Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrongContentTypeIs415()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("/v1/tasks", new StringContent("prompt=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task BodyOverOneMebibyteIs413()
    {
        using var client = fixture.Client();
        var body = $$"""{"prompt":"{{new string('a', 1024 * 1024)}}"}""";

        var response = await client.PostAsync("/v1/tasks", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task StreamedBodyOverTheLimitWithoutContentLengthIs413()
    {
        using var client = fixture.Client();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"prompt":"{{new string('a', 1100 * 1024)}}"}""")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("local-dev-key")]
    public async Task MissingOrUnknownApiKeyIs401(string? key)
    {
        using var client = fixture.Client(key);

        var submit = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "x" });
        var list = await client.GetAsync("/v1/tasks");
        var runtimes = await client.GetAsync("/v1/runtimes");
        var guidance = await client.PostAsJsonAsync("/v1alpha2", new { task = new { } });

        await ProblemAssert.IsProblemAsync(submit, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(list, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(runtimes, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(guidance, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task HealthzAnswersWithoutAKey()
    {
        using var client = fixture.Client(apiKey: null);

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnotherCallersTaskIsNotFound()
    {
        using var alpha = fixture.Client(ApiFixture.KeyA);
        using var bravo = fixture.Client(ApiFixture.KeyB);
        var created = await alpha.PostAsJsonAsync("/v1/tasks", new { prompt = "private" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var response = await bravo.GetAsync($"/v1/tasks/{id}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADataUrlHeaderIsSentInLowerCaseAsTheRuntimesExpect()
    {
        using var client = fixture.Client();
        var data = Convert.ToBase64String(Enumerable.Range(0, 30).Select(i => (byte)(i * 7 + 1)).ToArray());

        var response = await client.PostAsJsonAsync("/v1/tasks", new { task_type = "image-to-image", prompt = "repaint", init_images = new[] { "DATA:Image/PNG;Base64," + data } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.RuntimeQueueUrl, id);
        var sent = JsonSerializer.Deserialize(message.Body, ContractsJsonContext.Default.GenerateImageRequested)!;
        Assert.Equal(["data:image/png;base64," + data], sent.Parameters.InitImages);
    }
}
