using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SdServerless.TestSupport.ComfyUi;

/// <summary>
/// A small server on 127.0.0.1 that speaks ComfyUI's protocol (HTTP routes and the <c>/ws</c> websocket), runs each
/// prompt as its <see cref="ComfyServerScript"/> says, and records what it received.
/// </summary>
public sealed partial class ComfyUiServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ComfyPeer> _peers = new();
    private readonly ConcurrentDictionary<string, JsonObject> _history = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _interrupted = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _polledEarly = new();
    private readonly TaskCompletionSource<ComfyQueuedPrompt> _firstPrompt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _runs = [];
    private LoopbackServer _server = null!;
    private int _readyChecks;
    private int _historyReads;

    private ComfyUiServer(ComfyServerScript script) => Script = script;

    public ComfyServerScript Script { get; }

    public Uri BaseUrl => _server.BaseAddress;

    public int ReadyChecks => _readyChecks;

    public int HistoryReads => _historyReads;

    public ConcurrentQueue<ComfyUpload> Uploads { get; } = new();

    public ConcurrentQueue<ComfyQueuedPrompt> Prompts { get; } = new();

    public ConcurrentQueue<string> SocketClients { get; } = new();

    public ConcurrentQueue<string> Interrupts { get; } = new();

    public ConcurrentQueue<string> QueueDeletes { get; } = new();

    public ConcurrentQueue<string> Views { get; } = new();

    public ConcurrentQueue<string> HistoryDeletes { get; } = new();

    /// <summary>Prompts waiting to run, and the one running (ComfyUI's <c>queue_pending</c> and <c>queue_running</c>).</summary>
    public ConcurrentDictionary<string, bool> Pending { get; } = new();

    public string? Running { get; private set; }

    /// <summary>Completes when the first prompt is queued.</summary>
    public Task<ComfyQueuedPrompt> FirstPrompt => _firstPrompt.Task;

    public static async Task<ComfyUiServer> StartAsync(ComfyServerScript? script = null)
    {
        var server = new ComfyUiServer(script ?? new ComfyServerScript());
        server._server = await LoopbackServer.StartAsync(server.Map);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_runs).WaitAsync(TimeSpan.FromSeconds(10));
        await _server.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.Map("/ws", (RequestDelegate)AcceptSocketAsync);
        app.MapGet("/system_stats", () => Interlocked.Increment(ref _readyChecks) <= Script.NotReadyChecks
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new { system = new { os = "posix", comfyui_version = "test" }, devices = Array.Empty<object>() }));
        app.MapPost("/upload/image", UploadAsync);
        app.MapPost("/prompt", QueuePromptAsync);
        app.MapGet("/history/{promptId}", (string promptId) =>
        {
            Interlocked.Increment(ref _historyReads);
            var answer = new JsonObject();
            if (_history.TryGetValue(promptId, out var entry))
            {
                answer[promptId] = entry.DeepClone();
            }
            else
            {
                PolledEarly(promptId).TrySetResult();
            }
            return Results.Text(answer.ToJsonString(), "application/json");
        });
        app.MapPost("/history", async (HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            foreach (var id in body["delete"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
            {
                HistoryDeletes.Enqueue(id);
                _history.TryRemove(id, out _);
            }
            return Results.Ok();
        });
        app.MapGet("/queue", () =>
        {
            var running = new JsonArray();
            if (Running is { } id)
            {
                running.Add(new JsonArray(0, id, new JsonObject(), new JsonObject(), new JsonArray()));
            }
            var pending = new JsonArray(Pending.Keys.Select(p => (JsonNode)new JsonArray(1, p, new JsonObject(), new JsonObject(), new JsonArray())).ToArray());
            return Results.Text(new JsonObject { ["queue_running"] = running, ["queue_pending"] = pending }.ToJsonString(), "application/json");
        });
        app.MapPost("/queue", async (HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            foreach (var id in body["delete"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
            {
                QueueDeletes.Enqueue(id);
                Pending.TryRemove(id, out _);
            }
            return Results.Ok();
        });
        app.MapPost("/interrupt", async (HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            var id = body["prompt_id"]?.GetValue<string>() ?? "";
            Interrupts.Enqueue(id);
            _interrupted.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return Results.Ok();
        });
        app.MapGet("/view", (string filename, string subfolder, string type) =>
        {
            Views.Enqueue($"{type}/{subfolder}/{filename}");
            return _files.TryGetValue($"{type}/{subfolder}/{filename}", out var bytes) ? Results.Bytes(bytes, "image/png") : Results.NotFound();
        });
    }

    private async Task AcceptSocketAsync(HttpContext context)
    {
        var clientId = context.Request.Query["clientId"].ToString();
        if (Script.RefuseSocket || !context.WebSockets.IsWebSocketRequest || clientId.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var peer = new ComfyPeer(socket);
        _peers[clientId] = peer;
        SocketClients.Enqueue(clientId);
        await peer.SendAsync("status", new JsonObject { ["status"] = new JsonObject { ["exec_info"] = new JsonObject { ["queue_remaining"] = 0 } }, ["sid"] = clientId });
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var frame = await socket.ReceiveAsync(buffer, _stopping.Token);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Aborted by the script, or the server is stopping.
        }
        finally
        {
            _peers.TryRemove(KeyValuePair.Create(clientId, peer));
        }
    }

    private async Task<IResult> UploadAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var file = form.Files["image"];
        if (file is null || Script.RejectUpload)
        {
            return Results.BadRequest();
        }
        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes);
        var subfolder = form["subfolder"].ToString();
        Uploads.Enqueue(new ComfyUpload(file.FileName, subfolder, form["overwrite"].ToString(), form["type"].ToString(), bytes.ToArray()));
        var name = $"srv-{file.FileName}";
        if (Script.Workspace is { } workspace)
        {
            var folder = Path.Combine(workspace, "input", subfolder);
            Directory.CreateDirectory(folder);
            await File.WriteAllBytesAsync(Path.Combine(folder, name), bytes.ToArray());
        }
        return Results.Json(new { name, subfolder, type = "input" });
    }

    private async Task<IResult> QueuePromptAsync(HttpRequest request)
    {
        var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        if (Script.PromptServerError)
        {
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }
        if (Script.RejectPrompt)
        {
            return Results.Text(Rejection.ToJsonString(), "application/json", statusCode: StatusCodes.Status400BadRequest);
        }
        var queued = new ComfyQueuedPrompt(Guid.NewGuid().ToString(), body["client_id"]!.GetValue<string>(), body["prompt"]!.AsObject());
        if (Script.Run == ComfyRun.StayQueued)
        {
            Pending[queued.PromptId] = true;
        }
        Prompts.Enqueue(queued);
        _firstPrompt.TrySetResult(queued);
        lock (_runs)
        {
            _runs.Add(Task.Run(() => ExecuteAsync(queued)));
        }
        return Results.Json(new { prompt_id = queued.PromptId, number = 0, node_errors = new { } });
    }
}
