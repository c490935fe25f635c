using SdServerless.GpuWorker.Diffusion.Noise;

namespace SdServerless.GpuWorker.Tests.Diffusion.Noise;

/// <summary>Published outputs of <c>torch.manual_seed(s); torch.randn(...)</c> on x86 CPUs.</summary>
public sealed class TorchCpuGeneratorTests
{
    [Fact]
    public void Seed0Randn16IsPyTorchsBitForBit()
    {
        float[] expected = [-1.12583983f, -1.15236020f, -0.25057858f, -0.43387881f, 0.84871036f, 0.69200915f,
            -0.31601277f, -2.11521935f, 0.32227492f, -1.26333475f, 0.34998319f, 0.30813393f, 0.11984151f, 1.23765790f, 1.11677718f,
            -0.24727815f];
        Assert.Equal(expected, Draw(0, 16));
    }

    [Fact]
    public void Seed42Randn16IsPyTorchsBitForBit()
    {
        float[] expected = [1.9269152879714966f, 1.4872840642929077f, 0.9007171988487244f, -2.1055209636688232f,
            0.6784184575080872f, -1.2345448732376099f, -0.04306747764348984f, -1.6046669483184814f, -0.7521352767944336f,
            1.6487230062484741f, -0.3924786448478699f, -1.4036071300506592f, -0.7278813123703003f, -0.5594301819801331f,
            -0.7688388824462891f, 0.7624453902244568f];
        Assert.Equal(expected, Draw(42, 16));
    }

    [Fact]
    public void TailRedrawMatchesPyTorchsRowTwoOfRandn6x4()
    {
        var values = Draw(0, 24);
        Assert.Equal([0.46809640526771545f, -0.1577124446630478f, 1.4436601400375366f, 0.26604941487312317f], values[8..12]);
    }

    [Fact]
    public void FewerThan16ValuesTakeTheScalarPath()
    {
        AssertClose([1.5410, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986, 0.4033, 0.8380, -0.7193, -0.4033, -0.5966, 0.1820], Draw(0, 12), 5e-5);
        AssertClose([0.3367, 0.1288, 0.2345], Draw(42, 3), 5e-5);
    }

    [Fact]
    public void OnlyTheSeedsLow32BitsCount()
    {
        Assert.Equal(Draw(42, 64), Draw(42 + (1L << 32), 64));
    }

    [Fact]
    public void WithoutFusedMultiplyAddElementFourOfSeed42DiffersInTheLastBits()
    {
        var unfused = new float[16];
        new TorchCpuGenerator(42, fusedMultiplyAdd: false).Fill(unfused);
        Assert.NotEqual(0.6784184575080872f, unfused[4]);
        Assert.Equal(0.6784184575080872, unfused[4], 1e-6);
    }

    private static float[] Draw(long seed, int count)
    {
        var values = new float[count];
        new TorchCpuGenerator(unchecked((ulong)seed)).Fill(values);
        return values;
    }

    internal static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"value {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
