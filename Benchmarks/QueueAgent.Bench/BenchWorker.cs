using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SdServerless.GpuWorker;
using SdServerless.LocalAws.Emulators;
using SdServerless.ServiceDefaults;

namespace SdServerless.QueueAgent.Bench;

/// <summary>A worker with the production composition and defaults (20 s long poll, one task at a time), hosted in process.</summary>
public sealed class BenchWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchWorker(WebApplication app) => _app = app;

    public static async Task<BenchWorker> StartAsync(LocalAwsStack stack, string model, string name)
    {
        var builder = WebApplication.CreateBuilder();
        var settings = stack.ServiceConfiguration();
        settings["Worker:Runtime"] = "sdruntime";
        settings["Worker:QueueUrl"] = stack.Resources["RuntimeQueuesdruntime"].Ref;
        settings["Worker:WorkerId"] = name;
        settings["Worker:Model"] = model;
        settings["Diffusion:ExecutionProvider"] = "cpu";
        settings["Diffusion:WarmupSize"] = "64";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddBasicServiceDefaults();
        builder.AddApplicationServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return new BenchWorker(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
