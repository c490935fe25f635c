using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Prompting;
using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Hires;

namespace SdServerless.GpuWorker.Agent.Onnx;

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

    public async Task<TaskImages> GenerateAsync(GenerateImageRequested task, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        var p = task.Parameters;
        var initImage = task.TaskType == TaskTypes.ImageToImage ? await initImages.FetchFirstAsync(p, cancellationToken) : null;
        var request = new GenerationRequest(p.Prompt, p.NegativePrompt, p.Width, p.Height, p.Steps, p.CfgScale, p.Seed,
            p.SamplerName, p.BatchSize, p.DenoisingStrength, initImage)
        {
            ClipSkip = p.ClipSkip,
            Emphasis = p.Emphasis is null
                ? EmphasisMode.Original
                : EmphasisModes.Parse(p.Emphasis) ?? throw new GenerationInputException("invalid_emphasis", $"emphasis '{p.Emphasis}' is not one of: {string.Join(", ", EmphasisModes.Names)}"),
            Scheduler = p.Scheduler,
            BatchCount = p.NIter,
            Rng = RngSources.Parse(p.Rng) ?? throw new GenerationInputException("invalid_rng", $"rng '{p.Rng}' is not cpu or nv"),
            NoiseLayout = NoiseLayouts.Parse(p.NoiseLayout) ?? throw new GenerationInputException("invalid_noise_layout", $"noise_layout '{p.NoiseLayout}' is not per_image or whole_batch"),
            Subseed = p.Subseed,
            SubseedStrength = p.SubseedStrength,
            SeedResizeFromWidth = p.SeedResizeFromW,
            SeedResizeFromHeight = p.SeedResizeFromH,
            EtaNoiseSeedDelta = p.EtaNoiseSeedDelta,
            Eta = p.Eta,
            SNoise = p.SNoise,
            SChurn = p.SChurn,
            STmin = p.STmin,
            STmax = p.STmax,
            Hires = p.Hires is { } hires
                ? new HiresFix(hires.Scale ?? HiresParameters.DefaultScale, hires.ResizeX, hires.ResizeY, hires.Upscaler ?? HiresUpscalerNames.Latent, hires.SecondPassSteps, hires.SamplerName, hires.Scheduler, hires.Prompt, hires.NegativePrompt)
                : null,
        };
        return TaskImages.From(await engine.GenerateAsync(request, progress, cancellationToken));
    }
}
