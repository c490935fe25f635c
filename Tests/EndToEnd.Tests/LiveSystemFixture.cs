using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using SdServerless.SystemSupport;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// The system a waiting or watching client talks to: emulators, the Functions app on Kestrel in local dev mode with the
/// local event poller (which feeds waits and event streams), and a GPU worker with the tiny model that records progress
/// every 200 ms.
/// </summary>
public sealed class LiveSystemFixture : LocalAwsFixture
{
    public const string Key = "local-dev-key";

    private InProcessFunctions? _functions;
    private InProcessWorker? _worker;

    public HttpClient Api { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _functions = InProcessFunctions.Start(Stack.ServiceConfiguration(), host => host.UseSetting("Live:KeepAliveSeconds", "1"));
        Api = _functions.CreateClient();
        Api.DefaultRequestHeaders.Add("x-api-key", Key);
        Api.Timeout = TimeSpan.FromMinutes(3);
        _worker = await InProcessWorker.StartAsync(Stack, new Dictionary<string, string?> { ["Worker:ProgressIntervalMilliseconds"] = "200" });
    }

    public override async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
        if (_functions is not null)
        {
            await _functions.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    /// <summary>A text-to-image request for the tiny model: <paramref name="size"/> pixels square, <paramref name="steps"/> Euler steps.</summary>
    public static JsonObject Request(int size, int steps, int batchSize = 1) => new()
    {
        ["runtime"] = "sdruntime",
        ["task_type"] = "text-to-image",
        ["prompt"] = "a lighthouse, live",
        ["width"] = size,
        ["height"] = size,
        ["steps"] = steps,
        ["batch_size"] = batchSize,
        ["seed"] = 11,
        ["sampler_name"] = "Euler",
    };

    public async Task<HttpResponseMessage> SubmitAsync(JsonObject body, string? prefer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(body) };
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }
        return await Api.SendAsync(request);
    }
}
