using System.Security.Cryptography;
using System.Text.Json;
using SdServerless.GpuWorker.Diffusion.Noise;

namespace SdServerless.GpuWorker.Tests.Diffusion.Noise;

/// <summary>The CPU generator and the noise plan against PyTorch's own output (tools/reference-fixtures/torch_noise.py).</summary>
public sealed class TorchFixtureTests
{
    private static readonly JsonElement Fixture = NoiseFixtures.Load("cpu.json");

    [Fact]
    public void EveryDrawIsPyTorchsBitForBit()
    {
        foreach (var draw in Fixture.GetProperty("draws").EnumerateArray())
        {
            var expected = NoiseFixtures.Floats(draw.GetProperty("values"));
            var actual = new float[expected.Length];
            new TorchCpuGenerator(draw.GetProperty("seed").GetUInt64()).Fill(actual);
            Assert.True(expected.SequenceEqual(actual), $"seed {draw.GetProperty("seed")}, {expected.Length} values");
        }
    }

    [Fact]
    public void LongDrawsArePyTorchsBitForBit()
    {
        foreach (var draw in Fixture.GetProperty("long_draws").EnumerateArray())
        {
            var actual = new float[Count(draw)];
            new TorchCpuGenerator(draw.GetProperty("seed").GetUInt64()).Fill(actual);
            Assert.Equal(draw.GetProperty("sha256").GetString(), Sha256(actual));
        }
    }

    [Fact]
    public void WholeBatchLayoutIsComfyUIsPrepareNoise()
    {
        foreach (var batch in Fixture.GetProperty("comfyui").EnumerateArray())
        {
            var shape = Shape(batch);
            var plan = Plan(NoiseLayout.WholeBatch, batch.GetProperty("seed").GetInt64(), shape[0]);
            Assert.Equal(batch.GetProperty("sha256").GetString(), Sha256(Draw(plan, shape)));
        }
    }

    [Fact]
    public void PerImageLayoutIsA1111sCpuSource()
    {
        var batch = Fixture.GetProperty("a1111");
        var shape = Shape(batch);
        var plan = Plan(NoiseLayout.PerImage, batch.GetProperty("seed").GetInt64(), shape[0]);
        Assert.Equal([99L, 100L, 101L], plan.Seeds);
        Assert.Equal(batch.GetProperty("sha256").GetString(), Sha256(Draw(plan, shape)));
    }

    [Fact]
    public void VariationSeedIsA1111sSlerpWithin1e6()
    {
        var variation = Fixture.GetProperty("variation");
        var shape = Shape(variation);
        var plan = Plan(NoiseLayout.PerImage, variation.GetProperty("seed").GetInt64(), 1) with
        {
            Subseeds = [variation.GetProperty("subseed").GetInt64()],
            SubseedStrength = variation.GetProperty("strength").GetSingle(),
        };
        var expected = NoiseFixtures.Floats(variation.GetProperty("values"));
        var actual = Draw(plan, [1, .. shape]);
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 1e-6));
    }

    [Fact]
    public void SeedResizeIsA1111sCentredPasteBitForBit()
    {
        var resize = Fixture.GetProperty("resize");
        var shape = Shape(resize);
        var plan = Plan(NoiseLayout.PerImage, resize.GetProperty("seed").GetInt64(), 1) with
        {
            ResizeFrom = (resize.GetProperty("from_width").GetInt32(), resize.GetProperty("from_height").GetInt32()),
        };
        Assert.Equal(NoiseFixtures.Floats(resize.GetProperty("values")), Draw(plan, [1, .. shape]));
    }

    internal static NoisePlan Plan(NoiseLayout layout, long seed, int images, RngSource source = RngSource.Cpu) =>
        new(source, layout, Enumerable.Range(0, images).Select(i => layout == NoiseLayout.PerImage ? seed + i : seed).ToArray(),
            Enumerable.Range(0, images).Select(i => seed + 1000 + i).ToArray(), 0f, null, 0);

    internal static float[] Draw(NoisePlan plan, int[] shape)
    {
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        plan.Draw(values, shape[1], shape[2], shape[3]);
        return values;
    }

    private static int[] Shape(JsonElement element) => element.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();

    private static int Count(JsonElement element) => Shape(element).Aggregate(1, (a, b) => a * b);

    private static string Sha256(float[] values) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())));
}
