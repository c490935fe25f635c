extern alias functions;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SdServerless.GpuWorker;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// The whole path in one process: emulators, the Functions app (API, local event poller, webhooks) on Kestrel, a GPU
/// worker with the tiny model, and a webhook receiver on 127.0.0.1; every service exports its spans to one in-memory list
/// and records its AWS calls (<see cref="FunctionsCallLog"/>, <see cref="WorkerCallLog"/>) for the role checks.
/// </summary>
public sealed class TracedSystemFixture : LocalAwsFixture
{
    private WebApplicationFactory<functions::Program>? _functions;
    private WebApplication? _worker;
    private LoopbackServer? _receiver;

    /// <summary>Spans from every service (each service's exporter sees all in-process activities, so duplicates are removed by span id).</summary>
    public ExportedSpans Exported { get; } = new();

    public ConcurrentQueue<(string Path, string? TraceParent, string Body)> Webhooks { get; } = new();

    public HttpClient Api { get; private set; } = null!;

    public Uri ReceiverUrl { get; private set; } = null!;

    /// <summary>The Functions app's AWS calls: caller <c>api</c>, or <c>callback</c> for the events flow.</summary>
    public string FunctionsCallLog { get; } = Path.Combine(Path.GetTempPath(), $"sdserverless-calls-functions-{Guid.NewGuid():N}.jsonl");

    /// <summary>The worker's AWS calls: caller <c>worker</c>.</summary>
    public string WorkerCallLog { get; } = Path.Combine(Path.GetTempPath(), $"sdserverless-calls-worker-{Guid.NewGuid():N}.jsonl");

    public IReadOnlyList<Activity> Spans => Exported.GroupBy(a => a.SpanId).Select(g => g.First()).ToList();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var environment = Stack.ServiceConfiguration();

        _receiver = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            Webhooks.Enqueue((context.Request.Path, context.Request.Headers["traceparent"].FirstOrDefault(), await reader.ReadToEndAsync()));
            context.Response.StatusCode = StatusCodes.Status200OK;
        }));
        ReceiverUrl = _receiver.BaseAddress;

        _functions = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(host =>
        {
            foreach (var (name, value) in environment)
            {
                host.UseSetting(name, value);
            }
            host.UseSetting("Api:LocalDevMode", "true");
            host.UseSetting("Events:LocalPoller", "true");
            host.UseSetting("Events:LocalPollerWaitSeconds", "1");
            host.UseSetting("Aws:CallLog", FunctionsCallLog);
            host.UseSetting("Aws:CallLogCaller", "api");
            host.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Exported)));
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
            ["Worker:ReceiveWaitSeconds"] = "1",
            ["Worker:Model"] = model,
            ["Diffusion:ExecutionProvider"] = "cpu",
            ["Diffusion:WarmupSize"] = "64",
            ["Aws:CallLog"] = WorkerCallLog,
            ["Aws:CallLogCaller"] = "worker",
        });
        worker.WebHost.UseUrls("http://127.0.0.1:0");
        worker.AddBasicServiceDefaults();
        worker.AddApplicationServices();
        worker.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Exported));
        _worker = worker.Build();
        _worker.MapDefaultEndpoints();
        await _worker.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        Api.Dispose();
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
        File.Delete(FunctionsCallLog);
        File.Delete(WorkerCallLog);
    }
}
