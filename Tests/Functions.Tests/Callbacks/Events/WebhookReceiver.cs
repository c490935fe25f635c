using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SdServerless.TestSupport;

namespace SdServerless.Functions.Tests.Callbacks.Events;

/// <summary>
/// A real HTTP server on 127.0.0.1 that records every webhook it receives and answers each path from a script of
/// status codes (then 200); <c>/redirect/...</c> answers 302 to <c>/target/...</c>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new(StringComparer.Ordinal);
    private LoopbackServer _server = null!;

    private WebhookReceiver()
    {
    }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public Uri BaseAddress => _server.BaseAddress;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        receiver._server = await LoopbackServer.StartAsync(app => app.Run(receiver.HandleAsync));
        return receiver;
    }

    /// <summary>The next requests to <paramref name="path"/> are answered with these codes, in order.</summary>
    public string Script(string path, params int[] statusCodes)
    {
        _scripts[path] = new ConcurrentQueue<int>(statusCodes);
        return new Uri(BaseAddress, path).ToString();
    }

    public IReadOnlyList<ReceivedWebhook> To(string path) => [.. Received.Where(r => r.Path == path)];

    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(string path, int count, Func<ReceivedWebhook, bool>? match = null)
    {
        for (var i = 0; i < 300; i++)
        {
            var received = To(path).Where(match ?? (_ => true)).ToList();
            if (received.Count >= count)
            {
                return received;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Expected {count} webhooks at {path}, got {To(path).Count}.");
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var path = context.Request.Path.Value ?? "";
        var status = _scripts.TryGetValue(path, out var script) && script.TryDequeue(out var next) ? next : 200;
        if (path.StartsWith("/redirect/", StringComparison.Ordinal))
        {
            status = StatusCodes.Status302Found;
            context.Response.Headers.Location = "/target/" + path["/redirect/".Length..];
        }
        Received.Enqueue(new ReceivedWebhook(path, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body.ToArray(), status));
        context.Response.StatusCode = status;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredStatus)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}
