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

    public void Dispose() => _tasks.Dispose();
}
