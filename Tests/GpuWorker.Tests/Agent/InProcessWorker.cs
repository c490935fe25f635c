using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>The worker's real composition (service defaults + queue agent + engine) hosted inside the test process.</summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessWorker(WebApplication app, CountingGenerator? counter)
    {
        _app = app;
        Generations = counter;
    }

    public CountingGenerator? Generations { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<InProcessWorker> StartAsync(IReadOnlyDictionary<string, string?> settings, bool countGenerations = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddBasicServiceDefaults();
        builder.AddApplicationServices();
        CountingGenerator? counter = null;
        if (countGenerations)
        {
            var inner = builder.Services.Last(d => d.ServiceType == typeof(IImageGenerator));
            builder.Services.Remove(inner);
            builder.Services.AddSingleton(sp => counter = new CountingGenerator((IImageGenerator)inner.ImplementationFactory!(sp)));
            builder.Services.AddSingleton<IImageGenerator>(sp => sp.GetRequiredService<CountingGenerator>());
        }
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return new InProcessWorker(app, countGenerations ? app.Services.GetRequiredService<CountingGenerator>() : null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Counts how often the engine is asked to generate (a task run twice would show here).</summary>
public sealed class CountingGenerator(IImageGenerator inner) : IImageGenerator
{
    private int _calls;

    public int Calls => _calls;

    public Task<GenerationResult> GenerateAsync(GenerationRequest request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return inner.GenerateAsync(request, progress, cancellationToken);
    }
}
