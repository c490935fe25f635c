using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent.A1111;

/// <summary>A small HTTP server on 127.0.0.1 that speaks the AUTOMATIC1111 API and records what it received.</summary>
public sealed class A1111Server : IAsyncDisposable
{
    /// <summary>Bytes the server hands back as its image; the worker must store exactly these.</summary>
    public static readonly byte[] Image = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private LoopbackServer _server = null!;

    private A1111Server()
    {
    }

    public ConcurrentQueue<(string Path, JsonObject Body)> Requests { get; } = new();

    public int ModelChecks;

    /// <summary>Posts the server received on <c>/sdapi/v1/interrupt</c>.</summary>
    public int Interrupts;

    public Uri BaseUrl => _server.BaseAddress;

    /// <param name="notReadyChecks">Model checks answered 503 before the server is ready.</param>
    /// <param name="neverAnswers">Generations are recorded but never answered (until the client gives up).</param>
    public static async Task<A1111Server> StartAsync(int notReadyChecks = 2, bool neverAnswers = false)
    {
        var server = new A1111Server();
        server._server = await LoopbackServer.StartAsync(app => Map(app, server, notReadyChecks, neverAnswers));
        return server;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static void Map(WebApplication app, A1111Server server, int notReadyChecks, bool neverAnswers)
    {
        app.MapGet("/sdapi/v1/sd-models", () =>
            Interlocked.Increment(ref server.ModelChecks) <= notReadyChecks
                ? Results.StatusCode((int)HttpStatusCode.ServiceUnavailable)
                : Results.Json(new[] { new { title = "test-model" } }));
        app.MapGet("/sdapi/v1/progress", () => Results.Json(new { progress = 0.5, state = new { sampling_step = 1, sampling_steps = 2 } }));
        app.MapPost("/sdapi/v1/interrupt", () =>
        {
            Interlocked.Increment(ref server.Interrupts);
            return Results.Ok();
        });
        app.MapPost("/sdapi/v1/{mode}", async (string mode, HttpRequest request) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(request.Body))!;
            server.Requests.Enqueue(($"/sdapi/v1/{mode}", body));
            if (neverAnswers)
            {
                await Task.Delay(Timeout.Infinite, request.HttpContext.RequestAborted);
            }
            var batch = body["batch_size"]!.GetValue<int>();
            var seed = body["seed"]!.GetValue<long>();
            var info = new JsonObject { ["all_seeds"] = new JsonArray(Enumerable.Range(0, batch).Select(i => (JsonNode)(seed + 100 + i)).ToArray()) };
            return Results.Json(new { images = Enumerable.Repeat(Convert.ToBase64String(Image), batch), info = info.ToJsonString() });
        });
    }
}
