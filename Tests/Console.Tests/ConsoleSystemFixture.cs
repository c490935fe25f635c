using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SdServerless.SystemSupport;
using SdServerless.TestSupport;

namespace SdServerless.Console.Tests;

/// <summary>
/// The system a console user sees, in one process: emulators, the Functions app on Kestrel in local dev mode (so the
/// browser can reach it) and a GPU worker with the tiny model; plus the browser tools, installed before the first test.
/// </summary>
public sealed class ConsoleSystemFixture : LocalAwsFixture
{
    private InProcessFunctions? _functions;
    private InProcessWorker? _worker;
    private LoopbackServer? _receiver;

    /// <summary>An HTTP client for the Functions app, its base address the Kestrel one.</summary>
    public HttpClient Api { get; private set; } = null!;

    public Uri ConsoleUrl => new(Api.BaseAddress!, "console/");

    /// <summary>A webhook receiver on 127.0.0.1 that answers 200 (local dev mode accepts loopback callback URLs).</summary>
    public Uri CallbackUrl { get; private set; } = null!;

    /// <summary>Paths of the webhooks received.</summary>
    public ConcurrentQueue<string> Webhooks { get; } = new();

    public override async Task InitializeAsync()
    {
        var browser = BrowserScenario.EnsureInstalledAsync();
        await base.InitializeAsync();
        var environment = Stack.ServiceConfiguration();

        _receiver = await LoopbackServer.StartAsync(app => app.Run(context =>
        {
            Webhooks.Enqueue(context.Request.Path);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }));
        CallbackUrl = new Uri(_receiver.BaseAddress, "hooks/console");

        _functions = InProcessFunctions.Start(environment);
        Api = _functions.CreateClient();
        _worker = await InProcessWorker.StartAsync(Stack);
        await browser;
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
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
