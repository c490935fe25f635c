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

    private Task<InProcessWorker> StartWorkerAsync(ComfyUiServer server) =>
        InProcessWorker.StartAsync(fixture.WorkerSettings(new Dictionary<string, string>
        {
            ["Worker:Backend"] = "comfyui",
            ["ComfyUi:BaseUrl"] = server.BaseUrl.ToString(),
            ["ComfyUi:PollMilliseconds"] = "100",
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
        Assert.Equal(ComfyWorkflows.TextToImage().ToJsonString(), Assert.Single(server.Prompts).Prompt.ToJsonString());
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
    public async Task InputImagesAreFetchedAndUploadedUnderTheirNames()
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
        Assert.Equal("init.png", upload.FileName);
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

    public void Dispose() => _tasks.Dispose();
}
