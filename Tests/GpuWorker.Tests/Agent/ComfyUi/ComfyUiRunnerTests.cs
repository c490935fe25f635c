using SdServerless.GpuWorker.Agent.ComfyUi;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.TestSupport.ComfyUi;

namespace SdServerless.GpuWorker.Tests.Agent.ComfyUi;

/// <summary>A workflow that runs to the end: readiness, uploads, the websocket, progress and the saved images.</summary>
public class ComfyUiRunnerTests
{
    [Fact]
    public async Task RunWaitsUntilComfyUiIsReadyAndReturnsTheSavedImagesInNodeOrder()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(NotReadyChecks: 2));
        using var runner = new TestRunner(server);

        var images = await runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), []));

        Assert.Equal(3, server.ReadyChecks);
        Assert.Equal(ComfyUiServer.SavedImages, images.Select(i => i.Png));
        Assert.All(images, image => Assert.Equal(ComfyWorkflows.Seed, image.Seed));
        var folder = Assert.Single(server.Prompts).Prompt["9"]!["inputs"]!["filename_prefix"]!.GetValue<string>().Split('/')[0];
        Assert.Equal([$"output/{folder}/a_00001_.png", $"output/{folder}/a_00002_.png", "output//b_00001_.png"], server.Views);
    }

    [Fact]
    public async Task PromptIsQueuedForTheClientWhoseWebsocketWasOpenedFirst()
    {
        await using var server = await ComfyUiServer.StartAsync();
        using var runner = new TestRunner(server);

        await runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), [], "task-1"));

        var client = Assert.Single(server.SocketClients);
        var prompt = Assert.Single(server.Prompts);
        Assert.Equal(client, prompt.ClientId);
        var expected = ComfyWorkflows.TextToImage();
        expected["9"]!["inputs"]!["filename_prefix"] = "task-1/a";
        Assert.Equal(expected.ToJsonString(), prompt.Prompt.ToJsonString());
    }

    [Fact]
    public async Task ProgressReportsTheStepsOfThisPromptOnly()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(Steps: 4));
        using var runner = new TestRunner(server);
        var progress = new RecordingProgress();

        await runner.RunAsync(new ComfyWorkflowRequest(ComfyWorkflows.TextToImage(), []), progress);

        Assert.Equal([new DenoiseProgress(1, 4), new DenoiseProgress(2, 4), new DenoiseProgress(3, 4), new DenoiseProgress(4, 4)], progress.Reports);
    }

    [Fact]
    public async Task InputsAreUploadedUnderNamesTheWorkerChoseInTheTasksFolderAndLoadedByTheNamesComfyUiReturned()
    {
        await using var server = await ComfyUiServer.StartAsync();
        using var runner = new TestRunner(server);
        var workflow = ComfyWorkflows.Inpaint();
        byte[] init = [1, 2, 3], mask = [0xFF, 0xD8, 5];

        var images = await runner.RunAsync(new ComfyWorkflowRequest(workflow, [new ComfyInputImage("init.png", init), new ComfyInputImage("mask.png", mask)], "task-7"));

        // Never the caller's names: another task naming its input init.png cannot overwrite or read this one.
        Assert.Equal([("0.png", "task-7", "true", "input"), ("1.jpg", "task-7", "true", "input")], server.Uploads.Select(u => (u.FileName, u.Subfolder, u.Overwrite, u.Type)));
        Assert.Equal([init, mask], server.Uploads.Select(u => u.Data));
        var posted = Assert.Single(server.Prompts).Prompt;
        Assert.Equal("task-7/srv-0.png", posted["10"]!["inputs"]!["image"]!.GetValue<string>());
        Assert.Equal("task-7/srv-1.jpg", posted["12"]!["inputs"]!["image"]!.GetValue<string>());
        Assert.Equal("init.png", workflow["10"]!["inputs"]!["image"]!.GetValue<string>());
        Assert.Equal(3, images.Count);
    }
}
