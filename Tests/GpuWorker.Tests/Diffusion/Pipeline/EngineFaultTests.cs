using Microsoft.ML.OnnxRuntime;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using static SdServerless.GpuWorker.Diffusion.TinyModels.OnnxGraphBuilder;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>An ONNX Runtime failure during a run is the engine's fault, never the task's, and says which graph failed.</summary>
public sealed class EngineFaultTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void AnOnnxRuntimeErrorInTheUnetBecomesAnEngineFaultNamingTheGraph()
    {
        var folder = fixture.Generate("broken-unet", TinyModelVariant.Default);
        var unetPath = Path.Combine(folder, "unet", "model.onnx");
        WriteUnetWithTheWrongOutputShape(unetPath);
        using var pipeline = new StableDiffusionPipeline(Load(folder));

        var error = Assert.Throws<EngineFaultException>(() => pipeline.Run(Request(cfg: 1f), null, CancellationToken.None));

        Assert.IsType<OnnxRuntimeException>(error.InnerException);
        Assert.Contains(unetPath, error.Message);
    }

    [Fact]
    public void NanFromTheUnetIsAnEngineFaultNamingTheUnetAndTheStep()
    {
        var folder = fixture.Generate("nan-unet", TinyModelVariant.Default);
        var unetPath = Path.Combine(folder, "unet", "model.onnx");
        var graph = new OnnxGraphBuilder("unet");
        var sample = graph.Input("sample", OnnxFloat, "batch", TinyModelGenerator.LatentChannels, "height", "width");
        graph.Input("timestep", OnnxInt64, "batch");
        graph.Input("encoder_hidden_states", OnnxFloat, "batch", "sequence", TinyModelGenerator.HiddenSize);
        graph.Node("Sqrt", [graph.Node("Sub", [graph.Node("Neg", [graph.Node("Mul", [sample, sample])]), graph.FloatConstant(1f)])], "out_sample");
        graph.Output("out_sample", OnnxFloat, "batch", TinyModelGenerator.LatentChannels, "height", "width");
        graph.Save(unetPath);
        using var pipeline = new StableDiffusionPipeline(Load(folder));

        var error = Assert.Throws<EngineFaultException>(() => pipeline.Run(Request(steps: 3), null, CancellationToken.None));

        Assert.Contains(unetPath, error.Message);
        Assert.Contains("step 1 of 3", error.Message);
        Assert.DoesNotContain("vae", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, pipeline.LastLoop.UnetRuns);
    }

    [Fact]
    public void AModelLoadFailureIsAnEngineFault() =>
        Assert.IsAssignableFrom<EngineFaultException>(Assert.Throws<ModelLoadException>(() => Load(Path.Combine(fixture.Root, "absent"))));

    /// <summary>A UNet with the real input names whose output has twice the batch: ONNX Runtime refuses the bound output buffer at run time.</summary>
    private static void WriteUnetWithTheWrongOutputShape(string path)
    {
        var graph = new OnnxGraphBuilder("unet");
        var sample = graph.Input("sample", OnnxFloat, "batch", TinyModelGenerator.LatentChannels, "height", "width");
        graph.Input("timestep", OnnxInt64, "batch");
        graph.Input("encoder_hidden_states", OnnxFloat, "batch", "sequence", TinyModelGenerator.HiddenSize);
        graph.Node("Concat", [sample, sample], "out_sample", IntAttribute("axis", 0));
        graph.Output("out_sample", OnnxFloat, "doubled", TinyModelGenerator.LatentChannels, "height", "width");
        graph.Save(path);
    }
}
