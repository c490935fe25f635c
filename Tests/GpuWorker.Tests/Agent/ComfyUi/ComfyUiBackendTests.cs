using System.Text.Json;
using Amazon.S3;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;
using SdServerless.TestSupport.ComfyUi;

namespace SdServerless.GpuWorker.Tests.Agent.ComfyUi;

/// <summary>A worker serving a ComfyUI runtime: tasks from the queue run as workflows, their images land in S3 and the results are published.</summary>
public class ComfyUiBackendTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    private Task<InProcessWorker> StartWorkerAsync(ComfyUiServer server, int timeoutSeconds = 600) =>
        InProcessWorker.StartAsync(fixture.WorkerSettings(new Dictionary<string, string>
        {
            ["Worker:Backend"] = "comfyui",
            ["ComfyUi:BaseUrl"] = server.BaseUrl.ToString(),
            ["ComfyUi:PollMilliseconds"] = "100",
            ["ComfyUi:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Worker:LocalDevMode"] = "true",
        }));

    private static GenerationParameters Workflow(System.Text.Json.Nodes.JsonObject? workflow = null, params WorkflowInput[] inputs) => new()
    {
        Workflow = JsonSerializer.SerializeToElement(workflow ?? ComfyWorkflows.TextToImage()),
        Inputs = inputs.Length == 0 ? null : inputs,
    };

    [Fact]
    public async Task WorkflowTaskSucceedsWithEverySavedImageInS3AndOneResult()
    {
        await using var server = await ComfyUiServer.StartAsync();
        await using var worker = await StartWorkerAsync(server);
        var task = await _tasks.SubmitAsync(Workflow(), TaskTypes.ComfyUiWorkflow);

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        var expected = ComfyWorkflows.TextToImage();
        expected["9"]!["inputs"]!["filename_prefix"] = $"{task.Id}/a";
        Assert.Equal(expected.ToJsonString(), Assert.Single(server.Prompts).Prompt.ToJsonString());
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        var stored = new List<byte[]>();
        foreach (var key in await _tasks.OutputKeysAsync(task.Id))
        {
            using var png = await s3.GetObjectAsync(_tasks.Bucket, key);
            using var bytes = new MemoryStream();
            await png.ResponseStream.CopyToAsync(bytes);
            stored.Add(bytes.ToArray());
        }
        Assert.Equal(ComfyUiServer.SavedImages, stored);
        var result = Assert.Single(await _tasks.ResultsForAsync(task.Id));
        Assert.Equal(TaskStatuses.Succeeded, result.State);
        Assert.Equal(3, result.Outputs.Count);
        // ComfyUI does not say how many tokens its prompts used: no counts are made up.
        Assert.Null(done.PromptTokens);
        Assert.Null(result.PromptTokens);
    }

    [Fact]
    public async Task InputImagesAreFetchedAndUploadedUnderNamesTheWorkerChoseInTheTasksFolder()
    {
        await using var server = await ComfyUiServer.StartAsync();
        await using var worker = await StartWorkerAsync(server);
        var init = SdServerless.GpuWorker.Diffusion.Imaging.PngEncoder.Encode(new byte[3 * 2 * 2], 2, 2);
        var workflow = ComfyWorkflows.TextToImage();
        workflow["10"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "class_type": "LoadImage", "inputs": { "image": "init.png" } }""");
        var task = await _tasks.SubmitAsync(Workflow(workflow, new WorkflowInput("init.png", $"data:image/png;base64,{Convert.ToBase64String(init)}")), TaskTypes.ComfyUiWorkflow);

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.True(TaskStatuses.Succeeded == done.Status, $"{done.Error?.Code}: {done.Error?.Message}");
        var upload = Assert.Single(server.Uploads);
        Assert.Equal(("0.png", task.Id), (upload.FileName, upload.Subfolder));
        Assert.Equal(init, upload.Data);
    }

    [Fact]
    public async Task ANodeErrorEndsTheTaskFailedWithComfyUisMessage()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(Run: ComfyRun.FailNode));
        await using var worker = await StartWorkerAsync(server);
        var task = await _tasks.SubmitAsync(Workflow(), TaskTypes.ComfyUiWorkflow);

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Failed, done.Status);
        Assert.Equal("workflow_failed", done.Error!.Code);
        Assert.Contains("KSampler", done.Error.Message);
        Assert.Equal(ImageGenerated.StatusFailed, Assert.Single(await _tasks.ResultsForAsync(task.Id)).Status);
        Assert.Empty(await _tasks.OutputKeysAsync(task.Id));
    }

    [Fact]
    public async Task MoreOutputsThanTheRuntimeReturnsEndTheTaskFailedWithAReasonOfItsOwnBeforeItSucceeds()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ExtraSaved: 1000));
        await using var worker = await StartWorkerAsync(server);
        var task = await _tasks.SubmitAsync(Workflow(), TaskTypes.ComfyUiWorkflow);

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Failed, done.Status);
        Assert.Equal("too_many_outputs", done.Error!.Code);
        Assert.Equal(ImageGenerated.StatusFailed, Assert.Single(await _tasks.ResultsForAsync(task.Id)).Status);
        Assert.Empty(await _tasks.OutputKeysAsync(task.Id));
        Assert.Empty(server.Views);
    }

    [Fact]
    public async Task AComfyUiTimeoutIsInterruptedRetriedOnceAndThenTheTasksOwnFault()
    {
        await using var server = await ComfyUiServer.StartAsync(new ComfyServerScript(ComfyRun.Hang));
        await using var worker = await StartWorkerAsync(server, timeoutSeconds: 1);
        var task = await _tasks.SubmitAsync(Workflow(), TaskTypes.ComfyUiWorkflow);

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Failed, done.Status);
        Assert.Equal("timeout", done.Error!.Code);
        Assert.Equal(2, server.Prompts.Count);
        Assert.Equal(server.Prompts.Select(p => p.PromptId), server.Interrupts);
        Assert.Equal(2, done.Attempts);
    }

    public void Dispose() => _tasks.Dispose();
}
