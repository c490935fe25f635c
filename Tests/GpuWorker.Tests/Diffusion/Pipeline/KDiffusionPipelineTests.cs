using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;
using StbImageSharp;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>The k-diffusion samplers, schedules and sampler settings through the whole pipeline.</summary>
public sealed class KDiffusionPipelineTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private GenerationResult Run(GenerationRequest request, IProgress<DenoiseProgress>? progress = null) =>
        fixture.Pipeline.Run(request, progress, CancellationToken.None);

    private byte[] Pixels(GenerationRequest request) =>
        ImageResult.FromMemory(Run(request).Images[0].Png, ColorComponents.RedGreenBlue).Data;

    private string Text(GenerationRequest request) => System.Text.Encoding.Latin1.GetString(Run(request).Images[0].Png);

    [Theory]
    [InlineData("Heun", 4, 7)]
    [InlineData("DPM2", 4, 7)]
    [InlineData("DPM++ SDE", 4, 7)]
    [InlineData("DPM++ 2M SDE", 4, 4)]
    [InlineData("LCM", 4, 4)]
    [InlineData("UniPC", 4, 4)]
    [InlineData("UniPC", 7, 8)]
    public void ProgressCountsEveryModelEvaluation(string sampler, int steps, int evaluations)
    {
        var progress = new RecordingProgress();
        Run(Request(sampler: sampler, steps: steps), progress);
        Assert.Equal(evaluations, progress.Reports.Count);
        Assert.Equal(new DenoiseProgress(evaluations, evaluations), progress.Reports[^1]);
    }

    [Fact]
    public void TheScheduleChangesTheImageAndIsWrittenAsA1111Writes()
    {
        var karras = Request(sampler: "Heun", seed: 3) with { Scheduler = "Karras" };
        Assert.NotEqual(Pixels(karras), Pixels(karras with { Scheduler = "Exponential" }));
        Assert.Contains("Sampler: Heun, Schedule type: Karras,", Text(karras));
        Assert.Contains("Sampler: DPM++ 2M SDE, Schedule type: Exponential,", Text(Request(sampler: "DPM++ 2M SDE")));
    }

    [Fact]
    public void SdeSamplersSayTheirNoiseIsNotA1111sBrownianTree()
    {
        Assert.Contains("SDE noise: per-step randn", Text(Request(sampler: "DPM++ SDE")));
        var sde = Request(sampler: "DPM++ 2M SDE", seed: 5);
        Assert.NotEqual(Pixels(sde), Pixels(sde with { EtaNoiseSeedDelta = 7 }));
        Assert.Contains("ENSD: 7", Text(sde with { EtaNoiseSeedDelta = 7 }));
        Assert.DoesNotContain("SDE noise", Text(Request(sampler: "Heun")));
    }

    [Fact]
    public void EnsdChangesTheNewAncestralSamplersOnly()
    {
        var ancestral = Request(sampler: "DPM2 a", seed: 5);
        Assert.NotEqual(Pixels(ancestral), Pixels(ancestral with { EtaNoiseSeedDelta = 31337 }));
        Assert.Contains("ENSD: 31337", Text(ancestral with { EtaNoiseSeedDelta = 31337 }));
        var heun = Request(sampler: "Heun", seed: 5);
        Assert.Equal(Pixels(heun), Pixels(heun with { EtaNoiseSeedDelta = 31337 }));
    }

    [Fact]
    public void EtaAndChurnChangeTheSamplersThatReadThemAndAreWritten()
    {
        var ancestral = Request(sampler: "DPM++ 2S a", seed: 5);
        Assert.NotEqual(Pixels(ancestral), Pixels(ancestral with { Eta = 0.5 }));
        Assert.Contains("Eta: 0.5", Text(ancestral with { Eta = 0.5 }));
        var heun = Request(sampler: "Heun", seed: 5);
        Assert.NotEqual(Pixels(heun), Pixels(heun with { SChurn = 4 }));
        Assert.Contains("Sigma churn: 4", Text(heun with { SChurn = 4 }));

        // Heun takes no eta, as in A1111: the image is the same and nothing is written
        Assert.Equal(Pixels(heun), Pixels(heun with { Eta = 0.5 }));
        Assert.DoesNotContain("Eta", Text(heun with { Eta = 0.5 }));
    }

    [Fact]
    public void EulerAWithEtaRunsKDiffusionsLoop()
    {
        var plain = Request(sampler: "Euler a", seed: 5);
        Assert.NotEqual(Pixels(plain), Pixels(plain with { Eta = 0.3 }));
    }

    [Fact]
    public void ImageToImageRunsTheStrengthShareOfTheSteps()
    {
        var init = Run(Request(seed: 9)).Images[0].Png;
        var progress = new RecordingProgress();
        var request = Request(steps: 10, strength: 0.5, init: init, sampler: "DPM++ 2M SDE");
        var result = Run(request, progress);
        Assert.Equal(5, progress.Reports.Count);
        Assert.Equal(result.Images[0].Png, Run(request).Images[0].Png);
    }

    [Fact]
    public void UniPCAndLcmAreWrittenAsA1111WritesThem()
    {
        Assert.Contains("Sampler: UniPC, Schedule type: Uniform,", Text(Request(sampler: "UniPC")));
        var lcm = Request(sampler: "LCM", seed: 5);
        Assert.Contains("Sampler: LCM, Schedule type: Uniform,", Text(lcm));

        // LCM noises each prediction from the step generators, so ENSD changes it and is written; UniPC draws none
        Assert.NotEqual(Pixels(lcm), Pixels(lcm with { EtaNoiseSeedDelta = 7 }));
        Assert.Contains("ENSD: 7", Text(lcm with { EtaNoiseSeedDelta = 7 }));
        var unipc = Request(sampler: "UniPC", seed: 5);
        Assert.Equal(Pixels(unipc), Pixels(unipc with { EtaNoiseSeedDelta = 7 }));
        Assert.DoesNotContain("ENSD", Text(unipc with { EtaNoiseSeedDelta = 7 }));
    }

    [Fact]
    public void UniPCImageToImageRunsA1111sShareOfTheSteps()
    {
        var init = Run(Request(seed: 9)).Images[0].Png;
        var progress = new RecordingProgress();
        var request = Request(steps: 10, strength: 0.5, init: init, sampler: "UniPC");
        var result = Run(request, progress);
        Assert.Equal(5, progress.Reports.Count);
        Assert.Equal(result.Images[0].Png, Run(request).Images[0].Png);
    }

    [Theory]
    [InlineData(-0.1, 1, 0, "invalid_eta")]
    [InlineData(0.5, 3, 0, "invalid_s_noise")]
    [InlineData(1, 1, double.NaN, "invalid_s_churn")]
    public void BadSamplerSettingsAreInputErrors(double eta, double sNoise, double sChurn, string code)
    {
        var error = Assert.Throws<GenerationInputException>(() => Run(Request(sampler: "Heun") with { Eta = eta, SNoise = sNoise, SChurn = sChurn }));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void SamplersNotBuiltAreRefusedByName()
    {
        var error = Assert.Throws<GenerationInputException>(() => Run(Request(sampler: "DPM++ 3M SDE")));
        Assert.Equal("unsupported_sampler", error.Code);
        Assert.Contains("DPM++ 3M SDE", error.Message);
    }
}
