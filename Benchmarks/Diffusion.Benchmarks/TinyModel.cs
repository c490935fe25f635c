using Microsoft.Extensions.Logging.Abstractions;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.TinyModels;

namespace SdServerless.Diffusion.Benchmarks;

/// <summary>A tiny model (SD 1.x-shaped, or SDXL-shaped with <c>sdxl</c>) generated into a temp folder and loaded on the CPU.</summary>
public sealed class TinyModel : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sd-bench-").FullName;

    public TinyModel(string? variant = null)
    {
        TinyModelGenerator.Generate(folder, TinyModelVariant.Parse(variant));
        Pipeline = new StableDiffusionPipeline(StableDiffusionModel.Load(
            folder, new ExecutionProviders(new DiffusionOptions { ExecutionProvider = "cpu" }, NullLogger.Instance)));
    }

    public StableDiffusionPipeline Pipeline { get; }

    public void Dispose()
    {
        Pipeline.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
