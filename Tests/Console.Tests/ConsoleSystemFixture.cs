extern alias functions;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using SdServerless.GpuWorker;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults;
using SdServerless.TestSupport;

namespace SdServerless.Console.Tests;

/// <summary>
/// The system a console user sees, in one process: emulators, the Functions app on Kestrel in local dev mode (so the
/// browser can reach it) and a GPU worker with the tiny model; plus the browser tools, installed before the first test.
/// </summary>
public sealed class ConsoleSystemFixture : LocalAwsFixture
{
    private WebApplicationFactory<functions::Program>? _functions;
    private WebApplication? _worker;
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

        _functions = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(host =>
        {
            foreach (var (name, value) in environment)
            {
                host.UseSetting(name, value);
            }
            host.UseSetting("Api:LocalDevMode", "true");
            host.UseSetting("Events:LocalPoller", "true");
            host.UseSetting("Events:LocalPollerWaitSeconds", "1");
        });
        _functions.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _functions.StartServer();
        Api = _functions.CreateClient();

        var model = Path.Combine(Path.GetTempPath(), "sdserverless-tests", ModelLocator.TinyModelFolderName);
        ModelLocator.EnsureTinyModel(model);
        var worker = WebApplication.CreateBuilder();
        worker.Configuration.AddInMemoryCollection(environment);
        worker.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:Runtime"] = "sdruntime",
            ["Worker:QueueUrl"] = Stack.Resources["RuntimeQueuesdruntime"].Ref,
            ["Worker:HighQueueUrl"] = Stack.Resources["RuntimeHighQueuesdruntime"].Ref,
            ["Worker:LowQueueUrl"] = Stack.Resources["RuntimeLowQueuesdruntime"].Ref,
            ["Worker:ReceiveWaitSeconds"] = "1",
            ["Worker:Model"] = model,
            ["Diffusion:ExecutionProvider"] = "cpu",
            ["Diffusion:WarmupSize"] = "64",
        });
        worker.WebHost.UseUrls("http://127.0.0.1:0");
        worker.AddBasicServiceDefaults();
        worker.AddApplicationServices();
        _worker = worker.Build();
        _worker.MapDefaultEndpoints();
        await _worker.StartAsync();
        await browser;
    }

    public override async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_worker is not null)
        {
            await _worker.StopAsync();
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
