namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>
/// The 32-bit Mersenne Twister (Matsumoto and Nishimura), seeded as C++'s <c>std::mt19937</c> and PyTorch's CPU
/// generator seed it: only the seed's low 32 bits count.
/// </summary>
public sealed class Mt19937
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908B0DF;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7FFFFFFF;

    private readonly uint[] state = new uint[N];
    private int next = N;

    public Mt19937(ulong seed)
    {
        state[0] = (uint)seed;
        for (var j = 1; j < N; j++)
        {
            state[j] = unchecked(1812433253u * (state[j - 1] ^ (state[j - 1] >> 30)) + (uint)j);
        }
    }

    public uint NextUInt32()
    {
        if (next >= N)
        {
            Twist();
        }

        var y = state[next++];

        // Tempering
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        for (var k = 0; k < N; k++)
        {
            var y = (state[k] & UpperMask) | (state[(k + 1) % N] & LowerMask);
            state[k] = state[(k + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
        }

        next = 0;
    }
}
