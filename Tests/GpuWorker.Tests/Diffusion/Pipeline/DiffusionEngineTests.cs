using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Loading;
using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>The engine as the worker wires it: no model configured, so a tiny one is generated, loaded, warmed up and served.</summary>
public sealed class DiffusionEngineTests : IDisposable
{
    private readonly string cache = Directory.CreateTempSubdirectory("sd-engine-").FullName;

    [Fact]
    public async Task WithoutAModelPathTheEngineServesATinyModelAndBecomesReady()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Diffusion:ExecutionProvider"] = "cpu",
            ["Diffusion:TinyModelCacheDirectory"] = cache,
            ["Diffusion:WarmupSize"] = "64",
        });
        builder.AddDiffusionEngine();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var generator = host.Services.GetRequiredService<DiffusionEngine>();
        var result = await generator.GenerateAsync(
            new GenerationRequest("a cat", null, 64, 64, 3, 7f, 5, "Euler a", 2, 0f, null), null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal([5L, 6L], result.Images.Select(image => image.Seed));
        Assert.Equal(ModelLocator.TinyModelFolderName, result.ModelName);
        Assert.True(File.Exists(Path.Combine(cache, ModelLocator.TinyModelFolderName, "unet", "model.onnx")));

        var health = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(SdServerless.ServiceDefaults.Extensions.ReadyTag)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Contains(DiffusionReadinessCheck.Name, health.Entries.Keys);
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ABadModelPathFailsTheEngineAndItsReadiness()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DiffusionOptions { ModelPath = Path.Combine(cache, "missing"), ExecutionProvider = "cpu" });
        using var engine = new DiffusionEngine(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<DiffusionEngine>.Instance);
        Assert.Throws<ModelLoadException>(() => engine.Load(CancellationToken.None));
        var health = await new DiffusionReadinessCheck(engine).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("missing", health.Description);
        await Assert.ThrowsAsync<ModelLoadException>(() => engine.GenerateAsync(new GenerationRequest("a", null, 64, 64, 1, 1f, 1, "Euler", 1, 0f, null), null, CancellationToken.None));
    }

    /// <summary>Device 9999 exists on no machine: on one without CUDA the provider cannot load, on a GPU machine the device cannot be opened.</summary>
    [Fact]
    public async Task AWorkerConfiguredForCudaThatCannotUseItNeverBecomesReadyAndSaysWhy()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DiffusionOptions
        {
            ExecutionProvider = "cuda",
            DeviceId = 9999,
            TinyModelCacheDirectory = cache,
            WarmupSize = 64,
        });
        using var engine = new DiffusionEngine(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<DiffusionEngine>.Instance);

        var error = Assert.Throws<ModelLoadException>(() => engine.Load(CancellationToken.None));

        Assert.Contains("CUDA", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(engine.IsLoaded);
        Assert.Null(engine.ExecutionProvider);
        var health = await new DiffusionReadinessCheck(engine).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains(error.Message, health.Description);
        await Assert.ThrowsAsync<ModelLoadException>(() => engine.GenerateAsync(new GenerationRequest("a", null, 64, 64, 1, 1f, 1, "Euler", 1, 0f, null), null, CancellationToken.None));
    }

    [Fact]
    public void AnUnknownExecutionProviderIsRefusedAtLoad()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DiffusionOptions { ExecutionProvider = "tpu", TinyModelCacheDirectory = cache });
        using var engine = new DiffusionEngine(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<DiffusionEngine>.Instance);
        Assert.Contains("'tpu' is not supported", Assert.Throws<ModelLoadException>(() => engine.Load(CancellationToken.None)).Message);
    }

    [Fact]
    public async Task ATinySdxlVariantServesSdxlAndPublishesItsFacts()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DiffusionOptions
        {
            ExecutionProvider = "cpu",
            TinyModelCacheDirectory = cache,
            TinyModelVariant = "sdxl",
            WarmupSize = 64,
        });
        using var engine = new DiffusionEngine(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<DiffusionEngine>.Instance);
        Assert.Null(engine.Facts);
        engine.Load(CancellationToken.None);

        var facts = engine.Facts!;
        Assert.Equal(SdServerless.GpuWorker.Diffusion.Models.ModelFamily.StableDiffusionXL, facts.Family);
        Assert.Equal(1024, facts.NativeSize);
        Assert.Equal(ModelLocator.TinyModelFolder("sdxl"), facts.ModelName);
        Assert.True(File.Exists(Path.Combine(cache, ModelLocator.TinyModelFolder("sdxl"), "text_encoder_2", "model.onnx")));
        var result = await engine.GenerateAsync(new GenerationRequest("a cat", null, 128, 64, 2, 5f, 1, "Euler", 1, 0, null), null, CancellationToken.None);
        Assert.Single(result.Images);
    }

    [Fact]
    public void ATurboModelWarmsUpWithinItsLimits()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DiffusionOptions
        {
            ExecutionProvider = "cpu",
            TinyModelCacheDirectory = cache,
            TinyModelVariant = "sdxl-turbo",
            WarmupSteps = 20,
            WarmupSize = 64,
        });
        using var engine = new DiffusionEngine(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<DiffusionEngine>.Instance);
        engine.Load(CancellationToken.None);
        Assert.True(engine.IsLoaded);
        Assert.InRange(engine.WarmupRuns, 2, 4);
        Assert.True(engine.Facts!.Turbo);
        Assert.Equal(512, engine.Facts.NativeSize);
    }

    [Fact]
    public async Task ReadinessIsUnhealthyWhileTheModelLoads()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DiffusionOptions { ExecutionProvider = "cpu" });
        using var engine = new DiffusionEngine(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<DiffusionEngine>.Instance);
        var health = await new DiffusionReadinessCheck(engine).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal("Model is loading", health.Description);
    }

    public void Dispose() => Directory.Delete(cache, recursive: true);
}
