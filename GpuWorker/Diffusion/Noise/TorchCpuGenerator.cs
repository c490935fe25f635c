namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>
/// PyTorch's CPU generator as <c>torch.manual_seed(seed); torch.randn(n)</c> draws float32 normals
/// (<c>MT19937</c>, then <c>normal_fill</c> for 16 or more values and the double-precision Box-Muller below 16;
/// docs/seeds.md). On x86 with <paramref name="fusedMultiplyAdd"/> the values are PyTorch's bit for bit; without it,
/// they are those of builds that do not fuse multiply-adds, which differ in the last bit of a few values.
/// </summary>
public sealed class TorchCpuGenerator(ulong seed, bool fusedMultiplyAdd = true) : INormalSource
{
    private const float TwoPi = 6.2831855f;
    private readonly Mt19937 engine = new(seed);
    private double? cachedNormal;

    public void Fill(Span<float> destination)
    {
        if (destination.Length < 16)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)NextDoubleNormal();
            }

            return;
        }

        // 1. uniforms for every value, in order
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = NextFloatUniform();
        }

        // 2. Box-Muller over blocks of 16: values j and j + 8 of a block make one pair
        var full = destination.Length - destination.Length % 16;
        for (var block = 0; block < full; block += 16)
        {
            Transform16(destination.Slice(block, 16));
        }

        // 3. a partial last block: the last 16 values are drawn afresh and transformed again
        if (full != destination.Length)
        {
            var tail = destination[^16..];
            for (var i = 0; i < 16; i++)
            {
                tail[i] = NextFloatUniform();
            }

            Transform16(tail);
        }
    }

    /// <summary>A float uniform in [0, 1): the low 24 bits of one 32-bit draw.</summary>
    public float NextFloatUniform() => (engine.NextUInt32() & 0xFFFFFF) * (1f / (1 << 24));

    /// <summary>A double uniform in [0, 1): 53 bits of two 32-bit draws, the first the high word.</summary>
    public double NextDoubleUniform()
    {
        ulong high = engine.NextUInt32();
        ulong low = engine.NextUInt32();
        return (((high << 32) | low) & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));
    }

    /// <summary>The scalar path: Box-Muller in double, its second value kept for the next call.</summary>
    private double NextDoubleNormal()
    {
        if (cachedNormal is { } cached)
        {
            cachedNormal = null;
            return cached;
        }

        var u1 = NextDoubleUniform();
        var u2 = NextDoubleUniform();
        var radius = Math.Sqrt(-2.0 * LogOnePlus(-u2));
        var theta = 2.0 * Math.PI * u1;
        cachedNormal = radius * Math.Sin(theta);
        return radius * Math.Cos(theta);
    }

    private void Transform16(Span<float> block)
    {
        for (var j = 0; j < 8; j++)
        {
            var u1 = 1f - block[j];
            var u2 = block[j + 8];
            var radius = MathF.Sqrt(-2f * CephesFloat.Log(u1, fusedMultiplyAdd));
            var theta = TwoPi * u2;
            var (sin, cos) = CephesFloat.SinCos(theta, fusedMultiplyAdd);

            // PyTorch applies std and mean with one fused multiply-add: n * 1 + 0
            block[j] = radius * cos + 0f;
            block[j + 8] = radius * sin + 0f;
        }
    }

    /// <summary>log(1 + x) accurate for small x (the rounding of 1 + x corrected, as Goldberg shows).</summary>
    private static double LogOnePlus(double x)
    {
        var w = 1.0 + x;
        return w == 1.0 ? x : Math.Log(w) * x / (w - 1.0);
    }
}
