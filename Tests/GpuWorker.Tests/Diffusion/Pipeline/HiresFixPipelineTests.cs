using System.Text;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Hires;
using StbImageSharp;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>A1111's hires fix on the tiny model: the target size, both passes in progress, the infotext, the seeds.</summary>
public sealed class HiresFixPipelineTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private GenerationResult Run(GenerationRequest request, IProgress<DenoiseProgress>? progress = null) =>
        fixture.Pipeline.Run(request, progress, CancellationToken.None);

    private static GenerationRequest Hires(HiresFix fix, int steps = 3, long seed = 42, int batch = 1) =>
        Request(steps: steps, seed: seed, batch: batch, sampler: "Euler", strength: 0.5) with { Hires = fix };

    private static ImageResult Png(GeneratedImage image) => ImageResult.FromMemory(image.Png, ColorComponents.RedGreenBlue);

    private static string Text(GeneratedImage image) => Encoding.Latin1.GetString(image.Png);

    public static TheoryData<string> Upscalers() => [.. HiresUpscalerNames.All];

    [Theory]
    [MemberData(nameof(Upscalers))]
    public void EachUpscalerGivesTheTargetSize(string upscaler)
    {
        var image = Run(Hires(new HiresFix(Scale: 2, Upscaler: upscaler))).Images[0];
        var png = Png(image);
        Assert.Equal((128, 128), (png.Width, png.Height));
        Assert.Contains($"Hires upscaler: {upscaler}", Text(image), StringComparison.Ordinal);
    }

    [Fact]
    public void ProgressCountsBothPasses()
    {
        var progress = new RecordingProgress();
        Run(Hires(new HiresFix(Scale: 2, SecondPassSteps: 2), steps: 3), progress);
        Assert.Equal(Enumerable.Range(1, 5).Select(step => new DenoiseProgress(step, 5)), progress.Reports);
    }

    [Fact]
    public void ATwoCallSamplersProgressCountsTheEvaluationsOfBothPasses()
    {
        var progress = new RecordingProgress();
        Run(Request(steps: 3, seed: 42, sampler: "Heun", strength: 0.5) with { Hires = new HiresFix(Scale: 2, SecondPassSteps: 2) }, progress);

        // Heun evaluates the model five times in three steps and three times in the second pass's two.
        Assert.Equal(Enumerable.Range(1, 8).Select(step => new DenoiseProgress(step, 8)), progress.Reports);
    }

    [Theory]
    [InlineData("Euler a")]
    [InlineData("LMS")]
    [InlineData("DDIM")]
    [InlineData("DPM++ 2M")]
    [InlineData("DPM2 a")]
    [InlineData("DPM++ 2S a")]
    [InlineData("DPM++ SDE")]
    [InlineData("UniPC")]
    [InlineData("LCM")]
    public void EachSamplersProgressCountsEveryEvaluationOfBothPassesOnce(string sampler)
    {
        var progress = new RecordingProgress();
        Run(Request(steps: 4, seed: 42, sampler: sampler, strength: 0.7) with { Hires = new HiresFix(Scale: 2, SecondPassSteps: 3) }, progress);

        var total = progress.Reports[^1].Steps;
        Assert.Equal(Enumerable.Range(1, total).Select(step => new DenoiseProgress(step, total)), progress.Reports);
    }

    [Fact]
    public void SecondPassStepsZeroRunsAsManyAsTheFirstAndBatchCountMultipliesBoth()
    {
        var progress = new RecordingProgress();
        var result = Run(Hires(new HiresFix(), steps: 2, seed: 7) with { BatchCount = 2 }, progress);
        Assert.Equal(Enumerable.Range(1, 8).Select(step => new DenoiseProgress(step, 8)), progress.Reports);
        Assert.Equal([7L, 8L], result.Images.Select(image => image.Seed));
    }

    [Fact]
    public void TheInfotextHasA1111sHiresKeysAndTheFirstPassSize()
    {
        var image = Run(Hires(new HiresFix(Scale: 2, Upscaler: "Latent (bicubic)", SecondPassSteps: 2, Sampler: "Euler a", Prompt: "a sharp cat"))).Images[0];
        Assert.Contains(
            "Steps: 3, Sampler: Euler, Schedule type: Uniform, CFG scale: 7, Seed: 42, Size: 64x64, Model: default, Denoising strength: 0.5, "
            + "Hires sampler: Euler a, Hires prompt: a sharp cat, Hires upscale: 2, Hires steps: 2, Hires upscaler: Latent (bicubic), RNG: CPU",
            Text(image), StringComparison.Ordinal);
    }

    [Fact]
    public void ResizeToBothSidesCoversThenCropsToTheTarget()
    {
        var image = Run(Hires(new HiresFix(ResizeX: 192, ResizeY: 128))).Images[0];
        var png = Png(image);
        Assert.Equal((192, 128), (png.Width, png.Height));
        Assert.Contains("Hires resize: 192x128", Text(image), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameSeedGivesTheSameImageAndABatchImageMatchesItsOwnRun()
    {
        var batch = Run(Hires(new HiresFix(), seed: 100, batch: 2));
        var single = Run(Hires(new HiresFix(), seed: 101));
        Assert.Equal(Png(single.Images[0]).Data, Png(batch.Images[1]).Data);
        Assert.Equal(single.Images[0].Png, Run(Hires(new HiresFix(), seed: 101)).Images[0].Png);
    }

    [Theory]
    [InlineData("R-ESRGAN 4x+", "unsupported_hr_upscaler")]
    [InlineData("SwinIR_4x", "unsupported_hr_upscaler")]
    public void ModelUpscalersAreRefusedByName(string upscaler, string code)
    {
        var error = Assert.Throws<GenerationInputException>(() => Run(Hires(new HiresFix(Upscaler: upscaler))));
        Assert.Equal(code, error.Code);
        Assert.Contains(upscaler, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATargetOutsideTheSizeRuleIsRefusedBeforeAnyStep()
    {
        var progress = new RecordingProgress();
        var error = Assert.Throws<GenerationInputException>(() => Run(Hires(new HiresFix(Scale: 1.5)), progress));
        Assert.Equal("unsupported_hr_size", error.Code);
        Assert.Contains("96x96", error.Message, StringComparison.Ordinal);
        Assert.Empty(progress.Reports);
    }

    [Fact]
    public void ImageToImageTakesNoHiresFix()
    {
        var init = Run(Request()).Images[0].Png;
        var error = Assert.Throws<GenerationInputException>(() => Run(Request(init: init) with { Hires = new HiresFix() }));
        Assert.Equal("invalid_enable_hr", error.Code);
    }

    [Theory]
    [InlineData(20, 0.5, 40, 20)]
    [InlineData(10, 1.0, 10, 0)]
    [InlineData(7, 0.3, 23, 16)]
    public void TheSecondPassStretchesItsScheduleAsA1111(int steps, double strength, int scheduleSteps, int startIndex)
    {
        var plan = HiresPlan.Create(64, 64, steps, false, strength, new HiresFix(), 150);
        Assert.Equal((scheduleSteps, startIndex), plan.Schedule(strength));
    }

    [Theory]
    [InlineData(512, 768, 1024, 0, 1024, 1536, 1024, 1536)]
    [InlineData(512, 768, 0, 1024, 682, 1024, 682, 1024)]
    [InlineData(512, 768, 1024, 1024, 1024, 1024, 1024, 1536)]
    [InlineData(768, 512, 1024, 1024, 1024, 1024, 1536, 1024)]
    public void TheTargetIsCalculatedAsA1111(int width, int height, int resizeX, int resizeY, int targetX, int targetY, int upX, int upY)
    {
        var plan = HiresPlan.Create(width, height, 20, false, 0.5, new HiresFix(ResizeX: resizeX, ResizeY: resizeY), 150);
        Assert.Equal((targetX, targetY, upX, upY), (plan.Width, plan.Height, plan.UpscaleWidth, plan.UpscaleHeight));
    }
}
