namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>
/// AUTOMATIC1111's "NV" source: Philox 4x32-10 (Salmon et al., 2011) laid out as PyTorch's CUDA <c>randn</c> lays out a
/// draw that fits in one wave of threads, with one Box-Muller value per counter. Value i of the k-th call uses counter
/// (k, 0, i, 0) and key (seed low, seed high); the transform runs in double and rounds to float32.
/// </summary>
public sealed class PhiloxNvGenerator(ulong seed) : INormalSource
{
    private const uint M0 = 0xD2511F53;
    private const uint M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9;
    private const uint W1 = 0xBB67AE85;

    // float32(2.3283064e-10) and float32(2.3283064e-10 * 6.2831855), used in double.
    private static readonly double TwoPow32Inverse = 2.3283064e-10f;
    private static readonly double TwoPow32InverseTwoPi = (float)(2.3283064e-10 * 6.2831855);

    private uint offset;

    public void Fill(Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var (x, y) = Philox(offset, (uint)i);
            destination[i] = BoxMuller(x, y);
        }

        offset++;
    }

    /// <summary>The first two output words of Philox 4x32-10 for counter (<paramref name="c0"/>, 0, <paramref name="c2"/>, 0).</summary>
    public (uint X, uint Y) Philox(uint c0, uint c2)
    {
        uint c1 = 0, c3 = 0;
        var k0 = (uint)seed;
        var k1 = (uint)(seed >> 32);
        for (var round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 = unchecked(k0 + W0);
                k1 = unchecked(k1 + W1);
            }

            var product0 = (ulong)c0 * M0;
            var product1 = (ulong)c2 * M1;
            (c0, c1, c2, c3) = (
                (uint)(product1 >> 32) ^ c1 ^ k0,
                (uint)product1,
                (uint)(product0 >> 32) ^ c3 ^ k1,
                (uint)product0);
        }

        return (c0, c1);
    }

    /// <summary>The first Box-Muller value of two 32-bit words: u in (0, 1], v in (0, 2 pi).</summary>
    public static float BoxMuller(uint x, uint y)
    {
        var u = x * TwoPow32Inverse + (float)(2.3283064e-10f / 2);
        var v = y * TwoPow32InverseTwoPi + (float)((float)(2.3283064e-10 * 6.2831855) / 2);
        var radius = Math.Sqrt(-2.0 * Math.Log(u));
        return (float)(radius * Math.Sin(v));
    }
}
