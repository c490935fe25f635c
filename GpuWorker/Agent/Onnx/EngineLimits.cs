using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Agent.Onnx;

/// <summary>
/// Holds an ONNX runtime's catalogue entry to what its loaded model can do (the engine's limits narrowed by the model),
/// so that the API, which validates against the entry, never accepts a task this worker would refuse. Task types an
/// ONNX runtime cannot serve at all are the catalogue's own check.
/// </summary>
public static class EngineLimits
{
    /// <summary>
    /// Once the model is loaded: the entry must not promise what this model cannot do (an SDXL-Turbo model runs 1 to 4
    /// steps at cfg_scale up to 1; a fixed-shape export one size; a model without vae_encoder no image-to-image).
    /// </summary>
    public static void Check(RuntimeDefinition runtime, DiffusionModelFacts facts)
    {
        var faults = new List<string>();
        if (runtime.Size.Multiple % facts.SizeMultiple != 0 || runtime.Size.Min < facts.MinSize || runtime.Size.Max > facts.MaxSize)
        {
            faults.Add($"the model takes multiples of {facts.SizeMultiple} from {facts.MinSize} to {facts.MaxSize}");
        }
        if (facts.FixedWidth is { } width && (runtime.Size.Min != runtime.Size.Max || runtime.Size.Min != width || facts.FixedHeight != width))
        {
            faults.Add($"the model is exported for {facts.FixedWidth}x{facts.FixedHeight} only");
        }
        if (runtime.MaxSteps > facts.MaxSteps)
        {
            faults.Add($"the model runs at most {facts.MaxSteps} steps");
        }
        if (runtime.MaxCfgScale > facts.MaxCfgScale)
        {
            faults.Add($"the model takes cfg_scale up to {facts.MaxCfgScale}");
        }
        if (runtime.MaxBatchSize > facts.MaxBatchSize)
        {
            faults.Add($"the model runs batches of at most {facts.MaxBatchSize}");
        }
        if (runtime.Serves(Contracts.Tasks.TaskTypes.ImageToImage) && !facts.ImageToImage)
        {
            faults.Add("the model has no vae_encoder, so no image-to-image");
        }
        var missing = runtime.Samplers.Where(s => !facts.Samplers.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
        {
            faults.Add($"the model's scheduler config does not support {string.Join(", ", missing)}");
        }
        if (faults.Count > 0)
        {
            throw new ModelLoadException(
                $"Runtime '{runtime.Name}' in the runtime catalogue promises more than model {facts.ModelName} can do: {string.Join("; ", faults)}. Narrow the entry so the API refuses what this worker cannot run.");
        }
    }
}
