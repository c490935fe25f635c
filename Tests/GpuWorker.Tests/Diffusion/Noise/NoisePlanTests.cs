using SdServerless.GpuWorker.Diffusion.Noise;

namespace SdServerless.GpuWorker.Tests.Diffusion.Noise;

public sealed class NoisePlanTests
{
    private static readonly int[] Shape = [2, 4, 8, 8];

    [Theory]
    [InlineData(RngSource.Cpu)]
    [InlineData(RngSource.Nv)]
    public void SubseedStrengthZeroIsThePlainNoiseAndOneIsTheSubseedsNoise(RngSource source)
    {
        var plain = TorchFixtureTests.Plan(NoiseLayout.PerImage, 10, 2, source);
        var withSubseeds = plain with { Subseeds = [20, 21] };
        Assert.Equal(TorchFixtureTests.Draw(plain, Shape), TorchFixtureTests.Draw(withSubseeds, Shape));

        // Strength 1: image n is the noise of subseed 20 + n, whatever its seed.
        var full = withSubseeds with { Seeds = [10, 10], SubseedStrength = 1f };
        var subseedsOwn = TorchFixtureTests.Plan(NoiseLayout.PerImage, 20, 2, source);
        Assert.Equal(TorchFixtureTests.Draw(subseedsOwn, Shape), TorchFixtureTests.Draw(full, Shape));
    }

    [Fact]
    public void AncestralNoiseIsEachImageGeneratorsSecondDrawOrTheEnsdGeneratorsFirst()
    {
        const int perImage = 4 * 8 * 8;
        var plan = TorchFixtureTests.Plan(NoiseLayout.PerImage, 10, 2);
        var steps = plan.Draw(new float[2 * perImage], 4, 8, 8);
        var drawn = new float[2 * perImage];
        steps.Fill(drawn);
        var expected = new float[perImage];
        var image1 = new TorchCpuGenerator(11);
        image1.Fill(new float[perImage]);
        image1.Fill(expected);
        Assert.Equal(expected, drawn[perImage..]);

        var withDelta = plan with { EtaNoiseSeedDelta = 31337 };
        withDelta.Draw(new float[2 * perImage], 4, 8, 8).Fill(drawn);
        new TorchCpuGenerator(11 + 31337).Fill(expected);
        Assert.Equal(expected, drawn[perImage..]);
    }

    [Fact]
    public void WholeBatchAncestralNoiseIsOneDrawFromSeedPlusOne()
    {
        var plan = TorchFixtureTests.Plan(NoiseLayout.WholeBatch, 10, 2);
        var drawn = new float[2 * 256];
        plan.Draw(new float[drawn.Length], 4, 8, 8).Fill(drawn);
        var expected = new float[drawn.Length];
        new TorchCpuGenerator(11).Fill(expected);
        Assert.Equal(expected, drawn);
    }
}
