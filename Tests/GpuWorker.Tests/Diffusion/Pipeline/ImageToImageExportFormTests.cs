using Microsoft.ML.OnnxRuntime;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>
/// Image-to-image gives the same image for the same seed on both VAE encoder export forms: <c>latent_parameters</c>, and
/// the older <c>latent_sample</c> drawn inside the graph with <c>RandomNormalLike</c> (same weights in the tiny models).
/// </summary>
public sealed class ImageToImageExportFormTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void TheSameSeedGivesTheSameImageOnBothEncoderForms()
    {
        var init = fixture.Pipeline.Run(Request(steps: 2), null, CancellationToken.None).Images[0].Png;
        // Both folders are named "model": the PNG parameters name the model.
        var request = Request(prompt: "a watercolour of a harbour", steps: 6, seed: 1234, init: init, strength: 0.6);
        using var parameters = new StableDiffusionPipeline(Load(fixture.Generate(Path.Combine("parameters", "model"), TinyModelVariant.Parse("latent-parameters"))));
        using var sampling = new StableDiffusionPipeline(Load(fixture.Generate(Path.Combine("sampling", "model"), TinyModelVariant.Parse("sampling-vae-encoder"))));

        var expected = parameters.Run(request, null, CancellationToken.None).Images[0].Png;
        var first = sampling.Run(request, null, CancellationToken.None).Images[0].Png;
        var second = sampling.Run(request, null, CancellationToken.None).Images[0].Png;

        Assert.Equal(expected, first);
        Assert.Equal(expected, second);
    }

    [Fact]
    public void TheSamplingFormDrawsAnewOnEveryRunWhenLoadedAsIs()
    {
        // What the engine corrects: the graph as exported gives other latents on every run of the same image.
        var folder = fixture.Generate("sampling-as-is", TinyModelVariant.Parse("sampling-vae-encoder"));
        using var encoder = new VaeEncoder(OnnxGraph.Load(Path.Combine(folder, "vae_encoder", "model.onnx"), new SessionOptions()), 8);
        var pixels = Enumerable.Range(0, 3 * 64 * 64).Select(i => MathF.Sin(i * 0.01f)).ToArray();
        var first = new float[4 * 8 * 8];
        var second = new float[first.Length];
        using var runOptions = new RunOptions();
        encoder.Run(pixels, 64, 64, 4, first, runOptions);
        encoder.Run(pixels, 64, 64, 4, second, runOptions);
        Assert.NotEqual(first, second);

        using var corrected = new VaeEncoder(VaeEncoderGraph.Load(Path.Combine(folder, "vae_encoder", "model.onnx"), new SessionOptions()), 8);
        corrected.Run(pixels, 64, 64, 4, first, runOptions);
        corrected.Run(pixels, 64, 64, 4, second, runOptions);
        Assert.Equal(first, second);
    }
}
