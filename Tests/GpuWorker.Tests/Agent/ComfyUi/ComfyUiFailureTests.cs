using SdServerless.GpuWorker.Agent.ComfyUi;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.TestSupport.ComfyUi;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Tests.Agent.ComfyUi;

/// <summary>Which failures are the workflow's own (<see cref="GenerationInputException"/>) and which are the runtime's.</summary>
public class ComfyUiFailureTests
{
    [Fact]
    public async Task RejectedWorkflowIsWorkflowInvalidWithComfyUisNodeErrors()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(RejectPrompt: true));
        using var runner = new TestRunner(server);

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Equal("workflow_invalid", error.Code);
        Assert.Equal($"ComfyUI rejected the workflow: Prompt outputs failed validation; node 4 (CheckpointLoaderSimple): Value not in list: {ComfyUiServer.NodeErrorDetails}", error.Message);
    }

    [Fact]
    public async Task FailingNodeIsWorkflowFailedWithTheExceptionComfyUiCaught()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.FailNode));
        using var runner = new TestRunner(server);

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Equal("workflow_failed", error.Code);
        Assert.Equal($"ComfyUI node 3 (KSampler) failed: RuntimeError: {ComfyUiServer.ExceptionMessage}", error.Message);
        Assert.Empty(server.Views);
    }

    [Fact]
    public async Task PromptInterruptedBySomeoneElseIsAnHttpRequestException()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.InterruptedElsewhere));
        using var runner = new TestRunner(server);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        var prompt = Assert.Single(server.Prompts);
        Assert.Equal($"ComfyUI interrupted prompt {prompt.PromptId}, though this worker did not ask it to.", error.Message);
        Assert.Empty(server.Views);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NodeOutOfGpuMemoryIsAnHttpRequestException(bool refuseSocket)
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.OutOfMemory, RefuseSocket: refuseSocket));
        using var runner = new TestRunner(server);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Equal($"ComfyUI node 3 (KSampler) failed: torch.OutOfMemoryError: {ComfyUiServer.OutOfMemoryMessage}", error.Message);
    }

    [Fact]
    public async Task WorkflowThatSavesNoImageIsWorkflowNoImages()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.SaveNothing));
        using var runner = new TestRunner(server);

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Equal("workflow_no_images", error.Code);
        Assert.Empty(server.Views);
    }

    [Theory]
    [InlineData("ghost.png", "is not loaded by any node")]
    [InlineData("../init.png", "must be a plain file name")]
    public async Task InputTheWorkflowCannotLoadIsRejectedBeforeAnythingIsSent(string name, string reason)
    {
        await using var server = await ComfyUiServer.StartAsync();
        using var runner = new TestRunner(server);

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.Inpaint(), [new ComfyInputImage(name, [1])])));

        Assert.Equal("workflow_invalid", error.Code);
        Assert.Contains(name, error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Empty(server.Uploads);
        Assert.Empty(server.Prompts);
    }

    [Fact]
    public async Task InputComfyUiRefusesIsWorkflowInputRejected()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(RejectUpload: true));
        using var runner = new TestRunner(server);

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.Inpaint(), [new ComfyInputImage("init.png", [1]), new ComfyInputImage("mask.png", [2])])));

        Assert.Equal("workflow_input_rejected", error.Code);
        Assert.StartsWith("ComfyUI refused input 'init.png' (400)", error.Message);
        Assert.Empty(server.Prompts);
    }

    [Fact]
    public async Task ServerErrorOnPromptIsAnHttpRequestException()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(PromptServerError: true));
        using var runner = new TestRunner(server);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Contains("/prompt answered 500", error.Message);
    }

    [Fact]
    public async Task ComfyUiThatNeverGetsReadyIsAnHttpRequestException()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(NotReadyChecks: int.MaxValue));
        using var runner = new TestRunner(server, options => options.ReadyTimeoutSeconds = 1);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Contains("did not become ready within 1 s", error.Message);
        Assert.True(server.ReadyChecks > 1, "the runner must check more than once");
        Assert.Empty(server.Prompts);
    }
}
