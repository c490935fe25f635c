using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdServerless.Contracts.Messages;
using SdServerless.GpuWorker.Agent;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults;
using SdServerless.TestSupport;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>The worker's real composition (service defaults + queue agent + engine) hosted inside the test process.</summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessWorker(WebApplication app, ObservedGenerator generator)
    {
        _app = app;
        Generations = generator;
    }

    /// <summary>The real engine as the agent sees it, with a count of generations.</summary>
    public ObservedGenerator Generations { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="stepPause">A pause after each denoising step, so a task lasts long enough to cancel or outlast a lease.</param>
    public static async Task<InProcessWorker> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan? stepPause = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddBasicServiceDefaults();
        builder.AddApplicationServices();
        var generator = builder.Services.Last(d => d.ServiceType == typeof(ITaskGenerator));
        builder.Services.Remove(generator);
        builder.Services.AddSingleton(sp => new ObservedGenerator(
            (ITaskGenerator)(generator.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, generator.ImplementationType!)), stepPause ?? TimeSpan.Zero));
        builder.Services.AddSingleton<ITaskGenerator>(sp => sp.GetRequiredService<ObservedGenerator>());
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return new InProcessWorker(app, app.Services.GetRequiredService<ObservedGenerator>());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Counts how often the engine is asked to generate (a task run twice would show here), and can pace its steps.</summary>
public sealed class ObservedGenerator(ITaskGenerator engine, TimeSpan stepPause) : ITaskGenerator
{
    private int _calls;
    private int _faults;
    private int _lastStep;

    public int Calls => _calls;

    /// <summary>The last denoising step any generation reported.</summary>
    public int LastStep => Volatile.Read(ref _lastStep);

    /// <summary>The next <paramref name="count"/> requests fail as a GPU out of memory would (the engine's fault, not the task's).</summary>
    public void InjectFaults(int count) => Interlocked.Exchange(ref _faults, count);

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => engine.WaitUntilReadyAsync(cancellationToken);

    public Task<TaskImages> GenerateAsync(GenerateImageRequested request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Interlocked.Decrement(ref _faults) >= 0)
        {
            throw new EngineFaultException("CUDA failure 2: out of memory (injected)");
        }
        // Progress is reported on the denoising thread, so pausing here slows the real loop itself.
        return engine.GenerateAsync(request, new Paced(this, progress, stepPause), cancellationToken);
    }

    private sealed class Paced(ObservedGenerator owner, IProgress<DenoiseProgress>? inner, TimeSpan pause) : IProgress<DenoiseProgress>
    {
        public void Report(DenoiseProgress value)
        {
            Volatile.Write(ref owner._lastStep, value.Step);
            inner?.Report(value);
            if (pause > TimeSpan.Zero)
            {
                Thread.Sleep(pause);
            }
        }
    }
}
