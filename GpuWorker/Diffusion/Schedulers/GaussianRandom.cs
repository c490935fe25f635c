namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// Seeded standard-normal numbers that are the same on every platform and runtime: xoshiro256** (Blackman and Vigna)
/// seeded through SplitMix64, turned into normals with the Box-Muller transform.
/// </summary>
public sealed class GaussianRandom
{
    private ulong s0, s1, s2, s3;
    private double spare;
    private bool hasSpare;

    public GaussianRandom(long seed)
    {
        var x = unchecked((ulong)seed);
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

    public float NextGaussian()
    {
        if (hasSpare)
        {
            hasSpare = false;
            return (float)spare;
        }

        // Box-Muller: u1 in (0, 1] so the logarithm is finite.
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var angle = 2.0 * Math.PI * u2;
        spare = radius * Math.Sin(angle);
        hasSpare = true;
        return (float)(radius * Math.Cos(angle));
    }

    public void Fill(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = NextGaussian();
        }
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private ulong NextUInt64()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
