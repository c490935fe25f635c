using Microsoft.Extensions.Logging.Abstractions;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.TinyModels;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>A tiny model generated into a temp folder and loaded once on the CPU, shared by a test class.</summary>
public class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
        : this("sd-tiny-", "default", TinyModelVariant.Default)
    {
    }

    protected TinyModelFixture(string rootPrefix, string name, TinyModelVariant variant)
    {
        Root = Directory.CreateTempSubdirectory(rootPrefix).FullName;
        Pipeline = new StableDiffusionPipeline(Load(Generate(name, variant)));
    }

    public string Root { get; }

    public StableDiffusionPipeline Pipeline { get; }

    public string Generate(string name, TinyModelVariant variant)
    {
        var folder = Path.Combine(Root, name);
        TinyModelGenerator.Generate(folder, variant);
        return folder;
    }

    public static StableDiffusionModel Load(string folder) =>
        StableDiffusionModel.Load(folder, new ExecutionProviders(new DiffusionOptions { ExecutionProvider = "cpu" }, NullLogger.Instance));

    public static GenerationRequest Request(
        string prompt = "a photo of a cat", int size = 64, int steps = 4, long seed = 42, string sampler = "Euler a",
        float cfg = 7f, int batch = 1, string? negative = null, byte[]? init = null, double strength = 0.5) =>
        new(prompt, negative, size, size, steps, cfg, seed, sampler, batch, strength, init);

    public void Dispose()
    {
        Pipeline.Dispose();
        Directory.Delete(Root, recursive: true);
        GC.SuppressFinalize(this);
    }
}
