namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>
/// The float32 logarithm and sine/cosine that PyTorch's x86 builds use for normal draws (Cephes polynomials, in the
/// form of the AVX routines PyTorch ships), one lane at a time. <paramref name="fused"/> evaluates the multiply-adds
/// that the compiler of PyTorch's Linux builds fuses as single-rounding fused multiply-adds; without it every product
/// is rounded, as builds that do not fuse compute.
/// </summary>
public static class CephesFloat
{
    private const float SqrtHalf = 0.707106781186547524f;
    private const float LogP0 = 7.0376836292E-2f;
    private const float LogP1 = -1.1514610310E-1f;
    private const float LogP2 = 1.1676998740E-1f;
    private const float LogP3 = -1.2420140846E-1f;
    private const float LogP4 = +1.4249322787E-1f;
    private const float LogP5 = -1.6668057665E-1f;
    private const float LogP6 = +2.0000714765E-1f;
    private const float LogP7 = -2.4999993993E-1f;
    private const float LogP8 = +3.3333331174E-1f;
    private const float LogQ1 = -2.12194440e-4f;
    private const float LogQ2 = 0.693359375f;

    private const float MinusDp1 = -0.78515625f;
    private const float MinusDp2 = -2.4187564849853515625e-4f;
    private const float MinusDp3 = -3.77489497744594108e-8f;
    private const float SinP0 = -1.9515295891E-4f;
    private const float SinP1 = 8.3321608736E-3f;
    private const float SinP2 = -1.6666654611E-1f;
    private const float CosP0 = 2.443315711809948E-005f;
    private const float CosP1 = -1.388731625493765E-003f;
    private const float CosP2 = 4.166664568298827E-002f;
    private const float FourOverPi = 1.27323954473516f;

    /// <summary>Natural logarithm; NaN for x &lt;= 0, denormals treated as the smallest normal.</summary>
    public static float Log(float x, bool fused)
    {
        if (!(x > 0))
        {
            return float.NaN;
        }

        // 1. split x into a mantissa in [0.5, 1) and an exponent e
        x = MathF.Max(x, BitConverter.Int32BitsToSingle(0x00800000));
        var bits = BitConverter.SingleToInt32Bits(x);
        var exponent = (int)((uint)bits >> 23) - 0x7f;
        x = BitConverter.Int32BitsToSingle((bits & ~0x7f800000) | BitConverter.SingleToInt32Bits(0.5f));
        var e = exponent + 1f;

        // 2. mantissa below sqrt(1/2): x = 2x - 1, e -= 1; else x = x - 1
        var below = x < SqrtHalf;
        var tmp = below ? x : 0f;
        x -= 1f;
        e -= below ? 1f : 0f;
        x += tmp;

        // 3. log(1 + x) = x - x^2/2 + x^3 P(x), plus e * log(2) in two parts
        var z = x * x;
        var y = MulAdd(LogP0, x, LogP1, fused);
        y = MulAdd(y, x, LogP2, fused);
        y = MulAdd(y, x, LogP3, fused);
        y = MulAdd(y, x, LogP4, fused);
        y = MulAdd(y, x, LogP5, fused);
        y = MulAdd(y, x, LogP6, fused);
        y = MulAdd(y, x, LogP7, fused);
        y = MulAdd(y, x, LogP8, fused);
        y *= x;
        y = MulAdd(y, z, e * LogQ1, fused);
        y = MulAdd(-z, 0.5f, y, fused);
        x += y;
        return MulAdd(e, LogQ2, x, fused);
    }

    /// <summary>Sine and cosine of x (precise for |x| below 8192).</summary>
    public static (float Sin, float Cos) SinCos(float x, bool fused)
    {
        // 1. octant j of |x| (even), and the signs it gives
        var signSin = BitConverter.SingleToInt32Bits(x) & int.MinValue;
        x = MathF.Abs(x);
        var j = (int)(x * FourOverPi);
        j = (j + 1) & ~1;
        var y = (float)j;
        signSin ^= (j & 4) << 29;
        var signCos = (~(j - 2) & 4) << 29;
        var sinPolynomial = (j & 2) == 0;

        // 2. x - j * pi/4 in three parts (extended-precision reduction)
        x = MulAdd(y, MinusDp1, x, fused);
        x = MulAdd(y, MinusDp2, x, fused);
        x = MulAdd(y, MinusDp3, x, fused);

        // 3. cosine polynomial: 1 - z/2 + z^2 Q(z)
        var z = x * x;
        var cos = MulAdd(CosP0, z, CosP1, fused);
        cos = MulAdd(cos, z, CosP2, fused);
        cos *= z;
        cos = MulAdd(cos, z, -(z * 0.5f), fused);
        cos += 1f;

        // 4. sine polynomial: x + x^3 P(z)
        var sin = MulAdd(SinP0, z, SinP1, fused);
        sin = MulAdd(sin, z, SinP2, fused);
        sin *= z;
        sin = MulAdd(sin, x, x, fused);

        // 5. pick by octant, then apply the signs
        var (s, c) = sinPolynomial ? (sin, cos) : (cos, sin);
        return (
            BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(s) ^ signSin),
            BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(c) ^ signCos));
    }

    private static float MulAdd(float a, float b, float c, bool fused) => fused ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;
}
