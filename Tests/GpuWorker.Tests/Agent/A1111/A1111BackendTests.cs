using Amazon.S3;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent.A1111;

/// <summary>The worker driving an AUTOMATIC1111-compatible runtime instead of its own engine.</summary>
public class A1111BackendTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    [Fact]
    public async Task TaskGoesToTxt2ImgAfterTheRuntimeIsReadyAndItsImagesAreStored()
    {
        await using var runtime = await A1111Server.StartAsync(notReadyChecks: 2);
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings(new Dictionary<string, string>
        {
            ["Worker:Backend"] = "a1111",
            ["A1111:BaseUrl"] = runtime.BaseUrl.ToString(),
        }));
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick with { BatchSize = 2, NegativePrompt = "blurry", CfgScale = 5.5f });

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        var (path, body) = Assert.Single(runtime.Requests);
        Assert.Equal("/sdapi/v1/txt2img", path);
        Assert.Equal("a red cube", body["prompt"]!.GetValue<string>());
        Assert.Equal("blurry", body["negative_prompt"]!.GetValue<string>());
        Assert.Equal(4, body["steps"]!.GetValue<int>());
        Assert.Equal(5.5f, body["cfg_scale"]!.GetValue<float>());
        Assert.Equal("Euler", body["sampler_name"]!.GetValue<string>());
        Assert.True(runtime.ModelChecks >= 3, "the worker must wait until the runtime answers");
        Assert.Equal([142L, 143L], done.Outputs.Select(o => o.Seed));
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        using var stored = await s3.GetObjectAsync(_tasks.Bucket, $"outputs/{task.Id}/{task.Id}-1.png");
        using var bytes = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(bytes);
        Assert.Equal(A1111Server.Image, bytes.ToArray());
    }

    [Fact]
    public async Task ARuntimeTimeoutInterruptsIsRetriedOnceThenFailsTheTask()
    {
        await using var runtime = await A1111Server.StartAsync(notReadyChecks: 0, neverAnswers: true);
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings(new Dictionary<string, string>
        {
            ["Worker:Backend"] = "a1111",
            ["A1111:BaseUrl"] = runtime.BaseUrl.ToString(),
            ["A1111:TimeoutSeconds"] = "1",
        }));
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick);

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Failed, done.Status);
        Assert.Equal("timeout", done.Error!.Code);
        Assert.Contains("did not finish within 1 s", done.Error.Message);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(1, done.Releases);
        Assert.Equal(2, runtime.Requests.Count);
        Assert.Equal(2, runtime.Interrupts);
    }

    [Fact]
    public async Task AnAnswerLargerThanTheLimitEndsTheTaskFailedOnItsFirstAttempt()
    {
        await using var runtime = await A1111Server.StartAsync(notReadyChecks: 0);
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings(new Dictionary<string, string>
        {
            ["Worker:Backend"] = "a1111",
            ["A1111:BaseUrl"] = runtime.BaseUrl.ToString(),
            ["A1111:MaxResponseBytes"] = "100",
        }));
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick with { BatchSize = 2 });

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Failed, done.Status);
        Assert.Equal("runtime_response_too_large", done.Error!.Code);
        Assert.Equal(1, done.Attempts);
        Assert.Single(runtime.Requests);
        Assert.Empty(await _tasks.OutputKeysAsync(task.Id));
    }

    [Fact]
    public async Task ImageToImageSendsTheInitImageAndStrength()
    {
        await using var runtime = await A1111Server.StartAsync(notReadyChecks: 0);
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings(new Dictionary<string, string>
        {
            ["Worker:Backend"] = "a1111",
            ["A1111:BaseUrl"] = runtime.BaseUrl.ToString(),
        }));
        var init = Convert.ToBase64String(A1111Server.Image);
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick with { InitImages = [$"data:image/png;base64,{init}"], DenoisingStrength = 0.4 }, TaskTypes.ImageToImage);

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        var (path, body) = Assert.Single(runtime.Requests);
        Assert.Equal("/sdapi/v1/img2img", path);
        Assert.Equal(init, body["init_images"]![0]!.GetValue<string>());
        Assert.Equal(0.4, body["denoising_strength"]!.GetValue<double>());
    }

    [Fact]
    public async Task TheRequestsOtherA1111FieldsAndPromptSettingsReachTheRuntime()
    {
        await using var runtime = await A1111Server.StartAsync(notReadyChecks: 0);
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings(new Dictionary<string, string>
        {
            ["Worker:Backend"] = "a1111",
            ["A1111:BaseUrl"] = runtime.BaseUrl.ToString(),
        }));
        var fields = System.Text.Json.JsonDocument.Parse("""{"restore_faces":true,"prompt":"ignored","override_settings":{"sd_vae":"x.vae"}}""").RootElement;
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick with { A1111Fields = fields, ClipSkip = 2, Emphasis = "No norm" });

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        var (_, body) = Assert.Single(runtime.Requests);
        Assert.True(body["restore_faces"]!.GetValue<bool>());
        Assert.Equal("a red cube", body["prompt"]!.GetValue<string>());
        var settings = body["override_settings"]!;
        Assert.Equal("x.vae", settings["sd_vae"]!.GetValue<string>());
        Assert.Equal(2, settings["CLIP_stop_at_last_layers"]!.GetValue<int>());
        Assert.Equal("No norm", settings["emphasis"]!.GetValue<string>());
    }

    public void Dispose() => _tasks.Dispose();
}
