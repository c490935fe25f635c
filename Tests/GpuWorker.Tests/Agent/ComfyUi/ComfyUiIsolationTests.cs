using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Agent.ComfyUi;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.TestSupport.ComfyUi;

namespace SdServerless.GpuWorker.Tests.Agent.ComfyUi;

/// <summary>
/// One task's files on a shared ComfyUI runtime: only its own inputs are loaded, only allowed node classes run, its
/// inputs and outputs are deleted when it is done, and what it saves is counted and sized before it is stored.
/// </summary>
public class ComfyUiIsolationTests : IDisposable
{
    private readonly DirectoryInfo _workspace = Directory.CreateTempSubdirectory("comfy-workspace-");

    private ComfyServerScript Script(ComfyRun run = ComfyRun.Succeed, int extraSaved = 0) =>
        new(run, Workspace: _workspace.FullName, ExtraSaved: extraSaved);

    private string[] FilesLeft() => Directory.GetFileSystemEntries(_workspace.FullName, "*", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(_workspace.FullName, path)).Where(path => path is not ("input" or "output")).Order().ToArray();

    [Fact]
    public async Task InputsAndOutputsAreDeletedOnceStoredAndThePromptsHistoryIsForgotten()
    {
        Directory.CreateDirectory(Path.Combine(_workspace.FullName, "input"));
        Directory.CreateDirectory(Path.Combine(_workspace.FullName, "output"));
        await using var server = await ComfyUiServer.StartAsync(Script());
        using var runner = new TestRunner(server, options => options.WorkspaceDirectory = _workspace.FullName);
        var request = new ComfyWorkflowRequest(ComfyWorkflows.Inpaint(), [new ComfyInputImage("init.png", [1]), new ComfyInputImage("mask.png", [2])], "task-9");

        await using (var result = await runner.Runner.RunAsync(request, null, CancellationToken.None).WaitAsync(TestRunner.Deadline))
        {
            // While the task runs its files are where ComfyUI put them, in its own folders.
            Assert.Equal(["input/task-9", "input/task-9/srv-0.png", "input/task-9/srv-1.png", "output/task-9", "output/task-9/a_00001_.png", "output/task-9/a_00002_.png"],
                FilesLeft().Select(p => p.Replace('\\', '/')));
            Assert.Equal(3, result.Images.Count);
        }

        Assert.Empty(FilesLeft());
        Assert.Equal([Assert.Single(server.Prompts).PromptId], server.HistoryDeletes);
    }

    [Fact]
    public async Task AFailedRunDeletesItsFilesToo()
    {
        await using var server = await ComfyUiServer.StartAsync(Script(ComfyRun.FailNode));
        using var runner = new TestRunner(server, options => options.WorkspaceDirectory = _workspace.FullName);

        await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(
            new ComfyWorkflowRequest(ComfyWorkflows.Inpaint(), [new ComfyInputImage("init.png", [1]), new ComfyInputImage("mask.png", [2])], "task-f")));

        Assert.Empty(FilesLeft());
        Assert.Single(server.HistoryDeletes);
    }

    [Theory]
    [InlineData("ComfyUI_00001_.png [output]")]
    [InlineData("other-task/0.png")]
    [InlineData("srv-0.png")]
    public async Task ANodeLoadingAFileTheTaskDidNotDeclareIsRefusedBeforeAnythingIsSent(string file)
    {
        await using var server = await ComfyUiServer.StartAsync();
        using var runner = new TestRunner(server);
        var workflow = ComfyWorkflows.Inpaint();
        workflow["13"] = new System.Text.Json.Nodes.JsonObject { ["class_type"] = "LoadImage", ["inputs"] = new System.Text.Json.Nodes.JsonObject { ["image"] = file } };

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(
            new ComfyWorkflowRequest(workflow, [new ComfyInputImage("init.png", [1]), new ComfyInputImage("mask.png", [2])])));

        Assert.Equal("workflow_invalid", error.Code);
        Assert.Equal($"A node loads '{file}', which is not one of the task's inputs.", error.Message);
        Assert.Empty(server.Uploads);
        Assert.Empty(server.Prompts);
    }

    [Fact]
    public async Task ANodeClassTheRuntimeDoesNotAllowIsRefusedBeforeAnythingIsSent()
    {
        await using var server = await ComfyUiServer.StartAsync();
        using var runner = new TestRunner(server, workflows: new RuntimeWorkflows { NodeClasses = ["KSampler", "CheckpointLoaderSimple", "EmptyLatentImage", "CLIPTextEncode", "VAEDecode"] });

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Equal("workflow_invalid", error.Code);
        Assert.Equal("Node 9 uses node class 'SaveImage', which this runtime does not allow.", error.Message);
        Assert.Empty(server.Prompts);
    }

    [Fact]
    public async Task MoreSavedImagesThanTheRuntimeReturnsEndWithTooManyOutputsBeforeAnyIsRead()
    {
        await using var server = await ComfyUiServer.StartAsync(Script(extraSaved: 20));
        using var runner = new TestRunner(server, options => options.WorkspaceDirectory = _workspace.FullName);

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Equal("too_many_outputs", error.Code);
        Assert.Equal($"The workflow saved 23 images; this runtime returns at most {RuntimeWorkflows.DefaultMaxOutputs}.", error.Message);
        Assert.Empty(server.Views);
        Assert.Empty(FilesLeft());
    }

    [Fact]
    public async Task AnImageLargerThanTheRuntimeReturnsIsOutputTooLarge()
    {
        await using var server = await ComfyUiServer.StartAsync();
        using var runner = new TestRunner(server, workflows: new RuntimeWorkflows { MaxOutputBytes = 8 });

        var error = await Assert.ThrowsAsync<GenerationInputException>(() => runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [])));

        Assert.Equal("output_too_large", error.Code);
        Assert.Contains("at most 8 bytes", error.Message);
    }

    [Theory]
    [InlineData("../../etc/x", "t1/x")]
    [InlineData("", "t1/ComfyUI")]
    [InlineData("other-task/ComfyUI", "t1/ComfyUI")]
    public async Task SaveNodesArePointedAtTheTasksFolderWhateverPrefixTheyAskFor(string asked, string used)
    {
        await using var server = await ComfyUiServer.StartAsync();
        using var runner = new TestRunner(server);
        var workflow = ComfyWorkflows.TextToImage();
        workflow["9"]!["inputs"]!["filename_prefix"] = asked;

        await runner.RunAsync(new ComfyWorkflowRequest(workflow, [], "t1"));

        Assert.Equal(used, Assert.Single(server.Prompts).Prompt["9"]!["inputs"]!["filename_prefix"]!.GetValue<string>());
    }

    public void Dispose() => _workspace.Delete(recursive: true);
}
