using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.GpuWorker.Agent.Generators;

/// <summary>
/// Holds an ONNX runtime's catalogue entry to what the engine implements, so that the API (which validates against
/// the entry) never accepts a task this worker would refuse.
/// </summary>
public static class EngineLimits
{
    public static void Check(RuntimeDefinition runtime)
    {
        var faults = new List<string>();
        var missing = runtime.Samplers.Where(s => !SchedulerFactory.IsSupported(s)).ToList();
        if (missing.Count > 0)
        {
            faults.Add($"samplers {string.Join(", ", missing)} are not implemented (the engine has {string.Join(", ", SchedulerFactory.SamplerNames)})");
        }
        if (runtime.Size.Multiple % StableDiffusionPipeline.SizeMultiple != 0 || runtime.Size.Min < StableDiffusionPipeline.MinSize || runtime.Size.Max > StableDiffusionPipeline.MaxSize)
        {
            faults.Add($"sizes must be multiples of {StableDiffusionPipeline.SizeMultiple} from {StableDiffusionPipeline.MinSize} to {StableDiffusionPipeline.MaxSize}");
        }
        if (runtime.MaxSteps > StableDiffusionPipeline.MaxSteps)
        {
            faults.Add($"maxSteps is at most {StableDiffusionPipeline.MaxSteps}");
        }
        if (runtime.MaxBatchSize > StableDiffusionPipeline.MaxBatchSize)
        {
            faults.Add($"maxBatchSize is at most {StableDiffusionPipeline.MaxBatchSize}");
        }
        if (runtime.MaxCfgScale > StableDiffusionPipeline.MaxCfgScale)
        {
            faults.Add($"maxCfgScale is at most {StableDiffusionPipeline.MaxCfgScale}");
        }
        if (runtime.TaskTypes.Any(t => !Contracts.Tasks.TaskTypes.ServedBy(RuntimeTypes.Onnx).Contains(t)))
        {
            faults.Add("the engine serves text-to-image and image-to-image only");
        }
        if (faults.Count > 0)
        {
            throw new RuntimeCatalogException($"Runtime '{runtime.Name}' promises more than the ONNX engine implements: {string.Join("; ", faults)}.");
        }
    }
}
