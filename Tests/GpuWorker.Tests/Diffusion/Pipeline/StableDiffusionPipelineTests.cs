using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Imaging;
using StbImageSharp;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

public sealed class StableDiffusionPipelineTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private GenerationResult Run(GenerationRequest request, IProgress<DenoiseProgress>? progress = null, CancellationToken cancellationToken = default) =>
        fixture.Pipeline.Run(request, progress, cancellationToken);

    private static ImageResult DecodePng(byte[] png) => ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);

    [Fact]
    public void TheSameInputsAndSeedGiveIdenticalPngBytes()
    {
        var first = Run(Request());
        var second = Run(Request());
        Assert.Equal(first.Images[0].Png, second.Images[0].Png);
        Assert.Equal(42, first.Images[0].Seed);
        Assert.Equal("default", first.ModelName);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentImages() =>
        Assert.NotEqual(DecodePng(Run(Request(seed: 1)).Images[0].Png).Data, DecodePng(Run(Request(seed: 2)).Images[0].Png).Data);

    [Fact]
    public void ABatchUsesConsecutiveSeedsAndEachImageMatchesItsOwnRun()
    {
        var batch = Run(Request(seed: 100, batch: 3));
        Assert.Equal([100L, 101L, 102L], batch.Images.Select(image => image.Seed));
        var single = Run(Request(seed: 101));
        Assert.Equal(DecodePng(single.Images[0].Png).Data, DecodePng(batch.Images[1].Png).Data);
    }

    [Fact]
    public void SeedMinusOnePicksASeedAndReportsIt()
    {
        var image = Run(Request(seed: -1)).Images[0];
        Assert.InRange(image.Seed, 0, uint.MaxValue);
        Assert.Equal(DecodePng(image.Png).Data, DecodePng(Run(Request(seed: image.Seed)).Images[0].Png).Data);
    }

    [Fact]
    public void ThePngCarriesA1111Parameters()
    {
        var png = Run(Request(negative: "blurry")).Images[0].Png;
        var text = System.Text.Encoding.Latin1.GetString(png);
        Assert.Contains("parameters\0a photo of a cat\nNegative prompt: blurry\nSteps: 4, Sampler: Euler a, Schedule type: Uniform, CFG scale: 7, Seed: 42, Size: 64x64, Model: default, RNG: CPU", text);
    }

    [Fact]
    public void ProgressIsReportedOncePerStep()
    {
        var progress = new RecordingProgress();
        Run(Request(steps: 6), progress);
        Assert.Equal(Enumerable.Range(1, 6).Select(step => new DenoiseProgress(step, 6)), progress.Reports);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void CancellationFromTheProgressCallbackStopsAtThatStep(int step)
    {
        // Canceled after step k's report: the loop's own check must stop it before UNet run k + 1 starts. (ONNX Runtime's
        // terminate flag alone would also end the run, but only inside UNet run k + 1, which the count would show.)
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(report =>
        {
            if (report.Step == step)
            {
                cancellation.Cancel();
            }
        });
        var error = Assert.ThrowsAny<OperationCanceledException>(() => Run(Request(steps: 10), progress, cancellation.Token));
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal(step, progress.Reports.Count);
        Assert.Equal(step, fixture.Pipeline.LastLoop.UnetRuns);
    }

    [Fact]
    public void ATokenCanceledBeforeTheRunStartsNoUnetRun()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Run(Request(steps: 10), null, cancellation.Token));
        Assert.Equal(0, fixture.Pipeline.LastLoop.UnetRuns);
    }

    [Theory]
    [InlineData(50, 0.58, 22)]
    [InlineData(20, 0.75, 5)]
    [InlineData(10, 0.05, 9)]
    [InlineData(30, 1.0, 0)]
    public void TheImageToImageStartStepIsComputedInDoubleAsDiffusersDoes(int steps, double strength, int start)
    {
        // diffusers: init_timestep = min(int(steps * strength), steps); t_start = steps - init_timestep. In Python floats
        // 50 * 0.58 = 28.999999999999996, so 28 steps run; in float32 the product rounds to 29.
        Assert.Equal(start, StableDiffusionPipeline.StartIndex(steps, strength));
        Assert.Equal(29, (int)(50 * 0.58f));
    }

    [Theory]
    [InlineData("Euler a")]
    [InlineData("Euler")]
    [InlineData("DDIM")]
    [InlineData("DPM++ 2M")]
    [InlineData("DPM++ 2M Karras")]
    [InlineData("LMS")]
    [InlineData("Heun")]
    [InlineData("DPM2")]
    [InlineData("DPM2 a")]
    [InlineData("DPM++ 2S a")]
    [InlineData("DPM++ SDE")]
    [InlineData("DPM++ 2M SDE")]
    [InlineData("DPM++ 2M SDE Heun")]
    [InlineData("UniPC")]
    [InlineData("LCM")]
    [InlineData("Euler a Karras")]
    public void EverySamplerProducesAnImageOfTheRequestedSize(string sampler)
    {
        var image = DecodePng(Run(Request(sampler: sampler, steps: 5)).Images[0].Png);
        Assert.Equal(64, image.Width);
        Assert.Equal(64, image.Height);
        Assert.Contains(image.Data, value => value != image.Data[0]);
    }

    [Fact]
    public void Generates512x512()
    {
        var image = DecodePng(Run(Request(size: 512, steps: 2)).Images[0].Png);
        Assert.Equal(512, image.Width);
        Assert.Equal(512, image.Height);
    }

    [Fact]
    public void GuidanceAndTheNegativePromptChangeTheImage()
    {
        var guided = DecodePng(Run(Request(cfg: 7f)).Images[0].Png).Data;
        Assert.NotEqual(guided, DecodePng(Run(Request(cfg: 1f)).Images[0].Png).Data);
        Assert.NotEqual(guided, DecodePng(Run(Request(cfg: 7f, negative: "blurry, ugly")).Images[0].Png).Data);
    }

    [Fact]
    public void TheResultSaysHowManyTokensThePromptsUsed()
    {
        Assert.Equal(new(5, 1, 77), Run(Request(negative: "blurry")).PromptTokens);
        Assert.Equal(new(100, 0, 154), Run(Request(prompt: string.Join(' ', Enumerable.Repeat("cat", 100)))).PromptTokens);
    }

    [Fact]
    public void ImageToImageRunsTheStrengthShareOfTheStepsFromTheInitImage()
    {
        var init = Run(Request(seed: 9)).Images[0].Png;
        var progress = new RecordingProgress();
        var result = Run(Request(steps: 10, strength: 0.5, init: init, sampler: "DDIM"), progress);
        Assert.Equal(5, progress.Reports.Count);
        Assert.Equal(new DenoiseProgress(5, 5), progress.Reports[^1]);
        Assert.Contains("Denoising strength: 0.5", System.Text.Encoding.Latin1.GetString(result.Images[0].Png));
        Assert.Equal(result.Images[0].Png, Run(Request(steps: 10, strength: 0.5, init: init, sampler: "DDIM")).Images[0].Png);
    }

    [Fact]
    public void AnInitImageOfAnotherSizeIsResized()
    {
        var rgb = Enumerable.Range(0, 100 * 40 * 3).Select(i => (byte)i).ToArray();
        var init = PngEncoder.Encode(rgb, 100, 40);
        var image = DecodePng(Run(Request(init: init, strength: 0.3f)).Images[0].Png);
        Assert.Equal(64, image.Width);
    }

    [Fact]
    public void AnUndecodableInitImageIsAnInputError()
    {
        var error = Assert.Throws<GenerationInputException>(() => Run(Request(init: [1, 2, 3, 4])));
        Assert.Equal("invalid_init_image", error.Code);
        Assert.Contains("init_images", error.Message);
    }

    [Theory]
    [InlineData(100, 4, 7f, 1, "Euler a", 0.5f, "unsupported_size")]
    [InlineData(4096, 4, 7f, 1, "Euler a", 0.5f, "unsupported_size")]
    [InlineData(64, 0, 7f, 1, "Euler a", 0.5f, "invalid_steps")]
    [InlineData(64, 4, -1f, 1, "Euler a", 0.5f, "invalid_cfg_scale")]
    [InlineData(64, 4, 7f, 9, "Euler a", 0.5f, "invalid_batch_size")]
    [InlineData(64, 4, 7f, 1, "DPM fast", 0.5f, "unsupported_sampler")]
    public void BadInputIsAnInputErrorWithItsCode(int size, int steps, float cfg, int batch, string sampler, float strength, string code)
    {
        var error = Assert.Throws<GenerationInputException>(() => Run(Request(size: size, steps: steps, cfg: cfg, batch: batch, sampler: sampler, strength: strength)));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void ImageToImageStrengthOutOfRangeIsAnInputError()
    {
        var init = Run(Request()).Images[0].Png;
        Assert.Equal("invalid_denoising_strength", Assert.Throws<GenerationInputException>(() => Run(Request(init: init, strength: 0f))).Code);
        Assert.Equal("invalid_denoising_strength", Assert.Throws<GenerationInputException>(() => Run(Request(init: init, strength: 1.5f))).Code);
    }
}
