using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SdServerless.SystemSupport;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// The whole path in one process: emulators, the Functions app (API, local event poller, webhooks) on Kestrel, a GPU
/// worker with the tiny model, and a webhook receiver on 127.0.0.1; every service exports its spans to one in-memory list
/// and records its AWS calls (<see cref="FunctionsCallLog"/>, <see cref="WorkerCallLog"/>) for the role checks.
/// </summary>
public sealed class TracedSystemFixture : LocalAwsFixture
{
    private InProcessFunctions? _functions;
    private InProcessWorker? _worker;
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

        _functions = InProcessFunctions.Start(environment, host =>
        {
            host.UseSetting("Aws:CallLog", FunctionsCallLog);
            host.UseSetting("Aws:CallLogCaller", "api");
            host.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Exported)));
        });
        Api = _functions.CreateClient();
        _worker = await InProcessWorker.StartAsync(Stack,
            new Dictionary<string, string?> { ["Aws:CallLog"] = WorkerCallLog, ["Aws:CallLogCaller"] = "worker" },
            worker => worker.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Exported)));
    }

    public override async Task DisposeAsync()
    {
        Api.Dispose();
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
        File.Delete(FunctionsCallLog);
        File.Delete(WorkerCallLog);
    }
}
