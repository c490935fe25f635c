using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;
using SdServerless.TestSupport.ComfyUi;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// A ComfyUI runtime end to end, as separate processes: the API takes a workflow (v1 and the guidance's v1alpha2
/// <c>pipeline</c>), the worker runs it on a ComfyUI-protocol server, the images land in S3 and the webhook fires.
/// </summary>
public class ComfyUiWorkflowTests(ComfyUiWorkflowTests.Emulators fixture) : IClassFixture<ComfyUiWorkflowTests.Emulators>
{
    private static readonly string Catalog = Path.Combine(AppContext.BaseDirectory, "runtimes.comfy.json");

    private readonly ConcurrentQueue<(string Event, string TaskId)> _webhooks = new();

    public sealed class Emulators : LocalAwsFixture
    {
        protected override IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string> { ["Runtimes"] = "sdruntime,comfy" };
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha2")]
    public async Task AWorkflowSucceedsWithItsImagesInS3AndAWebhook(string route)
    {
        await using var comfy = await ComfyUiServer.StartAsync();
        await using var receiver = await LoopbackServer.StartAsync(app => app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            _webhooks.Enqueue((body.RootElement.GetProperty("event").GetString()!, body.RootElement.GetProperty("id").GetString()!));
            return Results.Ok();
        }));
        var port = FreePort.Next();
        await using var api = await ServiceProcesses.StartApiAsync(fixture.Stack, port, new Dictionary<string, string> { ["RuntimeCatalog:Path"] = Catalog });
        await using var worker = ServiceProcesses.StartWorker(fixture.Stack, "comfy", "comfy-1", new Dictionary<string, string>
        {
            ["RuntimeCatalog:Path"] = Catalog,
            ["ComfyUi:BaseUrl"] = comfy.BaseUrl.ToString(),
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add("x-api-key", "local-dev-key");
        var workflow = JsonSerializer.SerializeToElement(ComfyWorkflows.TextToImage());

        var id = route == "v1" ? await SubmitV1Async(client, workflow, $"{receiver.BaseAddress}hook") : await SubmitGuidanceAsync(client, workflow);

        var task = await Eventually.GetAsync(async () =>
            (await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}")) is var t && TaskStatuses.IsTerminal(t.GetProperty("status").GetString()!) ? (object)t : null,
            "the workflow task to end", seconds: 120);
        var view = (JsonElement)task;
        Assert.Equal(TaskStatuses.Succeeded, view.GetProperty("status").GetString());
        Assert.Equal(ComfyUiServer.SavedImages.Count, view.GetProperty("outputs").GetArrayLength());
        // The worker points the save node at the task's own folder on the runtime (decision 0531).
        var expected = ComfyWorkflows.TextToImage();
        expected["9"]!["inputs"]!["filename_prefix"] = $"{id}/a";
        Assert.Equal(expected.ToJsonString(), Assert.Single(comfy.Prompts).Prompt.ToJsonString());
        using var http = new HttpClient();
        var stored = new List<byte[]>();
        foreach (var output in view.GetProperty("outputs").EnumerateArray())
        {
            stored.Add(await http.GetByteArrayAsync(output.GetProperty("url").GetString()));
        }
        Assert.Equal(ComfyUiServer.SavedImages, stored);
        if (route == "v1")
        {
            await Eventually.TrueAsync(() => Task.FromResult(_webhooks.Contains(("task.succeeded", id))), "the task.succeeded webhook");
        }
    }

    private static async Task<string> SubmitV1Async(HttpClient client, JsonElement workflow, string callback)
    {
        using var response = await client.PostAsJsonAsync("/v1/tasks", new { runtime = "comfy", task_type = "comfyui-workflow", workflow, callback_url = callback });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<string> SubmitGuidanceAsync(HttpClient client, JsonElement workflow)
    {
        var id = $"pipeline-{Guid.NewGuid():N}";
        using var response = await client.PostAsJsonAsync("/v1alpha2", new { task = new { metadata = new { id, runtime = "comfy", tasktype = "pipeline" }, content = workflow } });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        // The task's id is the chosen one scoped to the caller (docs/decisions/0342).
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
