using SdServerless.GpuWorker.Diffusion.Noise;

namespace SdServerless.GpuWorker.Tests.Diffusion.Noise;

public sealed class PhiloxNvGeneratorTests
{
    [Fact]
    public void Seed0MatchesPublishedCudaDraws()
    {
        var values = new float[16];
        new PhiloxNvGenerator(0).Fill(values);
        TorchCpuGeneratorTests.AssertClose([-0.9247, -0.4253, -2.6438, 0.1452, -0.1209, -0.5797, -0.6229, -0.3284, -1.0745, -0.3631,
            -1.6711, 2.2655, 0.3117, -0.1842, 1.2866, 1.1820], values, 5e-5);
    }

    [Fact]
    public void Seed0IsWithin1e6OfTheCudaDrawsPrintedToEightDecimals()
    {
        var values = new float[12];
        new PhiloxNvGenerator(0).Fill(values);
        TorchCpuGeneratorTests.AssertClose([-0.92466259, -0.42534415, -2.6438457, 0.14518388, -0.12086647, -0.57972564, -0.62285122,
            -0.32838709, -1.07454231, -0.36314407, -1.67105067, 2.26550497], values, 1e-6);
    }

    [Fact]
    public void EqualsTheDoublePrecisionFormulaExactly()
    {
        foreach (var fixture in NoiseFixtures.Load("nv.json").GetProperty("cases").EnumerateArray())
        {
            var generator = new PhiloxNvGenerator(fixture.GetProperty("seed").GetUInt64());
            foreach (var call in fixture.GetProperty("calls").EnumerateArray())
            {
                var expected = NoiseFixtures.Floats(call);
                var actual = new float[expected.Length];
                generator.Fill(actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void EachCallAdvancesTheCounterOnce()
    {
        var generator = new PhiloxNvGenerator(7);
        var first = new float[8];
        var second = new float[8];
        generator.Fill(first);
        generator.Fill(second);
        Assert.NotEqual(first, second);
        var again = new PhiloxNvGenerator(7);
        var longer = new float[20];
        again.Fill(longer);
        Assert.Equal(first, longer[..8]);
    }
}
