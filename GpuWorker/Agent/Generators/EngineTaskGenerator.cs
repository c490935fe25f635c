using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults.Telemetry;

namespace SdServerless.GpuWorker.Agent.Generators;

/// <summary>
/// Text-to-image and image-to-image on the built-in ONNX engine. Ready once the model is loaded and the runtime's
/// catalogue entry (when the catalogue has one) promises nothing this model cannot do.
/// </summary>
public sealed class EngineTaskGenerator(DiffusionEngine engine, InitImageFetcher initImages, RuntimeDefinition? runtime = null) : ITaskGenerator
{
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        await engine.WaitUntilReadyAsync(cancellationToken);
        if (runtime is not null && engine.Facts is { } facts)
        {
            EngineLimits.Check(runtime, facts);
        }
    }

    public async Task<GenerationResult> GenerateAsync(GenerateImageRequested task, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        var p = task.Parameters;
        var initImage = task.TaskType == TaskTypes.ImageToImage ? await FetchInitImageAsync(p, initImages, cancellationToken) : null;
        var request = new GenerationRequest(p.Prompt, p.NegativePrompt, p.Width, p.Height, p.Steps, p.CfgScale, p.Seed,
            p.SamplerName, p.BatchSize, p.DenoisingStrength, initImage);
        return await engine.GenerateAsync(request, progress, cancellationToken);
    }

    /// <summary>The first of <c>init_images</c>, fetched in a span of its own.</summary>
    public static async Task<byte[]> FetchInitImageAsync(GenerationParameters parameters, InitImageFetcher initImages, CancellationToken cancellationToken)
    {
        var source = parameters.InitImages?.FirstOrDefault() ?? throw new InitImageException("This task needs init_images with one image.");
        using (SdServerlessTelemetry.ActivitySource.StartActivity("fetch init image"))
        {
            return await initImages.FetchAsync(source, cancellationToken);
        }
    }
}
