using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.TinyModels;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>A tiny SDXL-shaped model generated into a temp folder and loaded once on the CPU, shared by a test class.</summary>
public sealed class SdxlModelFixture : IDisposable
{
    public SdxlModelFixture()
    {
        Root = Directory.CreateTempSubdirectory("sdxl-tiny-").FullName;
        Pipeline = new StableDiffusionPipeline(TinyModelFixture.Load(Generate("tiny-sdxl", TinyModelVariant.Parse("sdxl"))));
    }

    public string Root { get; }

    public StableDiffusionPipeline Pipeline { get; }

    public string Generate(string name, TinyModelVariant variant)
    {
        var folder = Path.Combine(Root, name);
        TinyModelGenerator.Generate(folder, variant);
        return folder;
    }

    public void Dispose()
    {
        Pipeline.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
