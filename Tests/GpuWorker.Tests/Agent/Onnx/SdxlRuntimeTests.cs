using System.Buffers.Binary;
using System.Text;
using Amazon.S3;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Agent;
using SdServerless.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace SdServerless.GpuWorker.Tests.Agent.Onnx;

/// <summary>A worker whose runtime serves a (tiny) SDXL model: tasks through the queue, and a catalogue entry the model cannot honour.</summary>
public class SdxlRuntimeTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    private Dictionary<string, string?> Settings(string variant) => fixture.WorkerSettings(new Dictionary<string, string>
    {
        ["Worker:Model"] = "",
        ["Diffusion:TinyModelVariant"] = variant,
        ["Diffusion:TinyModelCacheDirectory"] = Path.Combine(Path.GetTempPath(), "sdserverless-tests"),
    });

    [Fact]
    public async Task AnSdxlTaskThroughTheQueueWritesPngsOfTheRequestedSizeWithInfotext()
    {
        await using var worker = await InProcessWorker.StartAsync(Settings("sdxl"));
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick with { Width = 128, Height = 64, Steps = 3, NegativePrompt = "blurry" });

        var done = await _tasks.TerminalAsync(task.Id, seconds: 180);

        Assert.True(TaskStatuses.Succeeded == done.Status, $"{done.Error?.Code}: {done.Error?.Message}");
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        using var stored = await s3.GetObjectAsync(_tasks.Bucket, Assert.Single(await _tasks.OutputKeysAsync(task.Id)));
        using var bytes = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(bytes);
        var png = bytes.ToArray();
        Assert.Equal((128, 64), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        var text = Encoding.Latin1.GetString(png);
        Assert.Contains("parameters", text);
        Assert.Contains("Negative prompt: blurry", text);
    }

    [Fact]
    public async Task ATurboModelBehindAnEntryThatPromisesFiftyStepsTakesNoTask()
    {
        await using var worker = await InProcessWorker.StartAsync(Settings("sdxl-turbo"));
        var state = worker.Services.GetRequiredService<WorkerState>();

        await Eventually.TrueAsync(() => Task.FromResult(state.GeneratorError?.Contains("promises more than", StringComparison.Ordinal) == true),
            "the worker to refuse its catalogue entry", seconds: 120);

        Assert.False(state.GeneratorReady);
        Assert.Contains("at most 4 steps", state.GeneratorError);
        Assert.Equal(0, worker.Generations.Calls);
    }

    public void Dispose() => _tasks.Dispose();
}
