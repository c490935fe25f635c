namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>
/// Pillow's <c>Image.resize</c> of an 8-bit RGB image (row-major, 3 bytes a pixel), as A1111's <c>Lanczos</c> and
/// <c>Nearest</c> upscalers call it: <c>LANCZOS</c> is <c>ImagingResample</c> (<c>libImaging/Resample.c</c>: double
/// coefficients rounded to 22-bit fixed point, the horizontal pass first into 8 bits, then the vertical);
/// <c>NEAREST</c> is the affine transform's pixel-centre sampling.
/// </summary>
public static class PillowResize
{
    /// <summary><c>PRECISION_BITS</c>: 32 - 8 - 2.</summary>
    private const int PrecisionBits = 32 - 8 - 2;

    private const double LanczosSupport = 3.0;

    public static byte[] Lanczos(ReadOnlySpan<byte> rgb, int width, int height, int outWidth, int outHeight)
    {
        Check(rgb, width, height);
        var current = rgb.ToArray();
        if (outWidth != width)
        {
            var taps = Coefficients(width, outWidth);
            var next = new byte[3 * outWidth * height];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < outWidth; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        next[(y * outWidth + x) * 3 + c] = Convolve(current, (y * width) * 3 + c, 3, taps[x]);
                    }
                }
            }

            current = next;
        }

        if (outHeight != height)
        {
            var taps = Coefficients(height, outHeight);
            var next = new byte[3 * outWidth * outHeight];
            for (var y = 0; y < outHeight; y++)
            {
                for (var x = 0; x < outWidth; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        next[(y * outWidth + x) * 3 + c] = Convolve(current, x * 3 + c, 3 * outWidth, taps[y]);
                    }
                }
            }

            current = next;
        }

        return current;
    }

    /// <summary><c>NEAREST</c>: source pixel <c>floor((dst + 0.5) * in / out)</c> in each direction.</summary>
    public static byte[] Nearest(ReadOnlySpan<byte> rgb, int width, int height, int outWidth, int outHeight)
    {
        Check(rgb, width, height);
        var output = new byte[3 * outWidth * outHeight];
        var scaleX = (double)width / outWidth;
        var scaleY = (double)height / outHeight;
        for (var y = 0; y < outHeight; y++)
        {
            var sy = Math.Min((int)((y + 0.5) * scaleY), height - 1);
            for (var x = 0; x < outWidth; x++)
            {
                var sx = Math.Min((int)((x + 0.5) * scaleX), width - 1);
                rgb.Slice((sy * width + sx) * 3, 3).CopyTo(output.AsSpan((y * outWidth + x) * 3, 3));
            }
        }

        return output;
    }

    private static void Check(ReadOnlySpan<byte> rgb, int width, int height)
    {
        if (rgb.Length != 3 * width * height)
        {
            throw new ArgumentException($"Expected {3 * width * height} bytes, got {rgb.Length}", nameof(rgb));
        }
    }

    private static byte Convolve(byte[] values, int start, int stride, (int Min, int[] Weight) taps)
    {
        var sum = 1L << (PrecisionBits - 1);
        for (var j = 0; j < taps.Weight.Length; j++)
        {
            sum += values[start + (taps.Min + j) * stride] * (long)taps.Weight[j];
        }

        return (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);
    }

    /// <summary><c>precompute_coeffs</c> then <c>normalize_coeffs_8bpc</c>.</summary>
    private static (int Min, int[] Weight)[] Coefficients(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = LanczosSupport * filterScale;
        var taps = new (int Min, int[] Weight)[outSize];
        for (var xx = 0; xx < outSize; xx++)
        {
            var center = (xx + 0.5) * scale;
            var ss = 1.0 / filterScale;
            var min = Math.Max((int)(center - support + 0.5), 0);
            var count = Math.Min((int)(center + support + 0.5), inSize) - min;
            var k = new double[count];
            var total = 0.0;
            for (var x = 0; x < count; x++)
            {
                k[x] = LanczosFilter((x + min - center + 0.5) * ss);
                total += k[x];
            }

            var fixedPoint = new int[count];
            for (var x = 0; x < count; x++)
            {
                var w = total != 0.0 ? k[x] / total : k[x];
                fixedPoint[x] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }

            taps[xx] = (min, fixedPoint);
        }

        return taps;
    }

    private static double LanczosFilter(double x) => x is >= -LanczosSupport and < LanczosSupport ? Sinc(x) * Sinc(x / LanczosSupport) : 0.0;

    private static double Sinc(double x)
    {
        if (x == 0.0)
        {
            return 1.0;
        }

        x *= Math.PI;
        return Math.Sin(x) / x;
    }
}
