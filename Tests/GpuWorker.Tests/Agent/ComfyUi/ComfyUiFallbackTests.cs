using SdServerless.GpuWorker.Agent.ComfyUi;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.TestSupport.ComfyUi;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Tests.Agent.ComfyUi;

/// <summary>Without a websocket, or after it drops, the runner follows the prompt by polling <c>/history</c>.</summary>
public class ComfyUiFallbackTests
{
    [Fact]
    public async Task DroppedSocketFallsBackToHistoryAndStillReturnsTheImages()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.DropSocket, Steps: 4));
        using var runner = new TestRunner(server);
        var progress = new RecordingProgress();

        var images = await runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), []), progress);

        Assert.Equal(ComfyUiServer.SavedImages, images.Select(i => i.Png));
        Assert.Equal([new DenoiseProgress(1, 4)], progress.Reports);
        Assert.True(server.HistoryReads >= 2, $"the runner must poll /history until the prompt appears ({server.HistoryReads} reads)");
    }

    [Fact]
    public async Task RefusedSocketFallsBackToHistoryAndStillReturnsTheImages()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(RefuseSocket: true));
        using var runner = new TestRunner(server);

        var images = await runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), []));

        Assert.Equal(ComfyUiServer.SavedImages, images.Select(i => i.Png));
        Assert.Empty(server.SocketClients);
        Assert.True(server.HistoryReads >= 2, $"the runner must poll /history until the prompt appears ({server.HistoryReads} reads)");
    }

    [Fact]
    public async Task FailingNodeSeenOnlyInHistoryIsStillWorkflowFailed()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.FailNode, RefuseSocket: true));
        using var runner = new TestRunner(server);

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Equal("workflow_failed", error.Code);
        Assert.Equal($"ComfyUI node 3 (KSampler) failed: RuntimeError: {ComfyUiServer.ExceptionMessage}", error.Message);
    }

    [Fact]
    public async Task SilentSocketIsBackedByAHistoryCheck()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(SilentEnd: true));
        using var runner = new TestRunner(server, options => options.SocketIdleCheckSeconds = 1);

        var images = await runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), []));

        Assert.Equal(ComfyUiServer.SavedImages, images.Select(i => i.Png));
        Assert.Single(server.SocketClients);
    }
}
