using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Noise;
using StbImageSharp;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>Variation seeds, seed resizing, ENSD and the generators, through the whole pipeline.</summary>
public sealed class SeededNoisePipelineTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private byte[] Pixels(GenerationRequest request) =>
        ImageResult.FromMemory(fixture.Pipeline.Run(request, null, CancellationToken.None).Images[0].Png, ColorComponents.RedGreenBlue).Data;

    private string Text(GenerationRequest request) =>
        System.Text.Encoding.Latin1.GetString(fixture.Pipeline.Run(request, null, CancellationToken.None).Images[0].Png);

    [Fact]
    public void SubseedStrengthZeroIsThePlainImageAndOneIsTheSubseedsImage()
    {
        var plain = Request(seed: 5, sampler: "Euler");
        Assert.Equal(Pixels(plain), Pixels(plain with { Subseed = 9, SubseedStrength = 0f }));
        Assert.Equal(Pixels(Request(seed: 9, sampler: "Euler")), Pixels(plain with { Subseed = 9, SubseedStrength = 1f }));
        Assert.NotEqual(Pixels(plain), Pixels(plain with { Subseed = 9, SubseedStrength = 0.5f }));
    }

    [Fact]
    public void TheInfotextCarriesA1111sNoiseFields()
    {
        var text = Text(Request(seed: 5, sampler: "Euler a") with
        {
            Subseed = 9, SubseedStrength = 0.25f, SeedResizeFromWidth = 128, SeedResizeFromHeight = 96, EtaNoiseSeedDelta = 31337, Rng = RngSource.Nv,
        });
        Assert.Contains("Seed: 5, Size: 64x64, Model: default, Variation seed: 9, Variation seed strength: 0.25, Seed resize from: 128x96, ENSD: 31337, RNG: NV", text);
    }

    [Fact]
    public void EnsdChangesOnlyAncestralSamplers()
    {
        var euler = Request(seed: 5, sampler: "Euler");
        Assert.Equal(Pixels(euler), Pixels(euler with { EtaNoiseSeedDelta = 31337 }));
        Assert.DoesNotContain("ENSD", Text(euler with { EtaNoiseSeedDelta = 31337 }));
        var ancestral = Request(seed: 5, sampler: "Euler a");
        Assert.NotEqual(Pixels(ancestral), Pixels(ancestral with { EtaNoiseSeedDelta = 31337 }));
    }

    [Fact]
    public void TheNvSourceDrawsOtherNoise() =>
        Assert.NotEqual(Pixels(Request(seed: 5)), Pixels(Request(seed: 5) with { Rng = RngSource.Nv }));

    [Fact]
    public void WholeBatchImagesShareTheSeedAndSayWhereTheyStand()
    {
        var result = fixture.Pipeline.Run(Request(seed: 5, batch: 2) with { NoiseLayout = NoiseLayout.WholeBatch }, null, CancellationToken.None);
        Assert.Equal([5L, 5L], result.Images.Select(image => image.Seed));
        Assert.Contains("RNG: CPU, Noise layout: whole_batch, Batch index: 1", System.Text.Encoding.Latin1.GetString(result.Images[1].Png));
    }

    [Theory]
    [InlineData(-2L, 0f, -1, -1, NoiseLayout.PerImage, RngSource.Cpu, "invalid_subseed")]
    [InlineData(1L, 1.5f, -1, -1, NoiseLayout.PerImage, RngSource.Cpu, "invalid_subseed_strength")]
    [InlineData(1L, 0f, 4, 64, NoiseLayout.PerImage, RngSource.Cpu, "invalid_seed_resize")]
    [InlineData(1L, 0f, -1, -1, NoiseLayout.WholeBatch, RngSource.Nv, "invalid_noise_layout")]
    [InlineData(1L, 0.5f, -1, -1, NoiseLayout.WholeBatch, RngSource.Cpu, "invalid_noise_layout")]
    public void BadNoiseSettingsAreInputErrors(long subseed, float strength, int resizeWidth, int resizeHeight, NoiseLayout layout, RngSource rng, string code)
    {
        var request = Request() with
        {
            Subseed = subseed, SubseedStrength = strength, SeedResizeFromWidth = resizeWidth, SeedResizeFromHeight = resizeHeight, NoiseLayout = layout, Rng = rng,
        };
        Assert.Equal(code, Assert.Throws<GenerationInputException>(() => fixture.Pipeline.Run(request, null, CancellationToken.None)).Code);
    }
}

/// <summary>A1111's n_iter: batches whose seeds continue, progress over all of them.</summary>
public sealed class BatchCountPipelineTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void BatchesContinueTheSeedsAndEachImageIsItsOwnRun()
    {
        var progress = new RecordingProgress();
        var result = fixture.Pipeline.Run(TinyModelFixture.Request(seed: 100, batch: 2, steps: 2) with { BatchCount = 2 }, progress, CancellationToken.None);
        Assert.Equal([100L, 101L, 102L, 103L], result.Images.Select(image => image.Seed));
        var alone = fixture.Pipeline.Run(TinyModelFixture.Request(seed: 103, steps: 2), null, CancellationToken.None);
        Assert.Equal(Pixels(alone.Images[0].Png), Pixels(result.Images[3].Png));
        Assert.Equal([1, 2, 3, 4], progress.Reports.Select(report => report.Step));
        Assert.All(progress.Reports, report => Assert.Equal(4, report.Steps));
    }

    [Fact]
    public void WithAVariationSeedEveryBatchKeepsTheSeedAndContinuesTheSubseed()
    {
        var result = fixture.Pipeline.Run(TinyModelFixture.Request(seed: 100) with { BatchCount = 2, Subseed = 7, SubseedStrength = 0.5f }, null, CancellationToken.None);
        Assert.Equal([100L, 100L], result.Images.Select(image => image.Seed));
        Assert.Contains("Variation seed: 8,", System.Text.Encoding.Latin1.GetString(result.Images[1].Png));
    }

    private static byte[] Pixels(byte[] png) => ImageResult.FromMemory(png, ColorComponents.RedGreenBlue).Data;
}
