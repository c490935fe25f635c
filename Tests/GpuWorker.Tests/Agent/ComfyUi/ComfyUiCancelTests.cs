using SdServerless.GpuWorker.Agent;
using SdServerless.GpuWorker.Agent.ComfyUi;
using SdServerless.TestSupport.ComfyUi;

namespace SdServerless.GpuWorker.Tests.Agent.ComfyUi;

/// <summary>A canceled or timed-out run leaves nothing behind in ComfyUI: queued prompts are deleted, running ones interrupted.</summary>
public class ComfyUiCancelTests
{
    [Fact]
    public async Task CancelWhileRunningInterruptsThePrompt()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.Hang));
        using var runner = new TestRunner(server);
        using var cancel = new CancellationTokenSource();
        var progress = new RecordingProgress(_ => cancel.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), []), progress, cancel.Token));

        var prompt = await server.FirstPrompt.WaitAsync(TestRunner.Deadline);
        Assert.Equal([prompt.PromptId], server.Interrupts);
        Assert.Empty(server.QueueDeletes);
    }

    [Fact]
    public async Task CancelWhileQueuedDeletesThePromptFromTheQueue()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.StayQueued));
        using var runner = new TestRunner(server);
        using var cancel = new CancellationTokenSource();

        var run = runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), []), cancellationToken: cancel.Token);
        var prompt = await server.FirstPrompt.WaitAsync(TestRunner.Deadline);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal([prompt.PromptId], server.QueueDeletes);
        Assert.Empty(server.Pending);
        Assert.Empty(server.Interrupts);
    }

    [Fact]
    public async Task RunPastTheTimeoutIsARuntimeTimeoutAndInterruptsThePrompt()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.Hang));
        var clock = new TimeoutClock(TimeSpan.FromHours(1));
        using var runner = new TestRunner(server, options => options.TimeoutSeconds = 3600, clock);
        var progress = new RecordingProgress(_ => clock.Expire());

        var error = await Assert.ThrowsAsync<RuntimeTimeoutException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), []), progress));

        var prompt = await server.FirstPrompt.WaitAsync(TestRunner.Deadline);
        Assert.Equal($"The ComfyUI workflow did not finish within 3600 s (prompt {prompt.PromptId}).", error.Message);
        Assert.Equal([prompt.PromptId], server.Interrupts);
    }
}
