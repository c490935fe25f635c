namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>
/// <c>torch.nn.functional.interpolate(x, size=(h, w), mode, align_corners=False, antialias)</c> on a CPU float32 tensor
/// of planes <c>[P, H, W]</c> (a latent batch <c>[B, C, H, W]</c> is <c>B * C</c> planes), as PyTorch's CPU kernels
/// compute it (<c>aten/src/ATen/native/cpu/UpSampleKernel.cpp</c>), in float32 and in the same order of operations.
/// </summary>
public static class TorchInterpolate
{
    /// <summary>Keys' cubic coefficient PyTorch uses without antialiasing (OpenCV's); with antialiasing it uses PIL's -0.5.</summary>
    private const float CubicA = -0.75f;

    private const float AntialiasCubicA = -0.5f;

    public static float[] Resize(ReadOnlySpan<float> input, int planes, int height, int width, int outHeight, int outWidth, LatentResizeMode mode, bool antialias)
    {
        if (input.Length != planes * height * width)
        {
            throw new ArgumentException($"Expected {planes * height * width} values, got {input.Length}", nameof(input));
        }

        return (mode, antialias) switch
        {
            (LatentResizeMode.Bilinear or LatentResizeMode.Bicubic, true) => Separable(input, planes, height, width, outHeight, outWidth, mode),
            (LatentResizeMode.Bilinear, false) => Interpolate(input, planes, height, width, outHeight, outWidth, LinearTaps),
            (LatentResizeMode.Bicubic, false) => Interpolate(input, planes, height, width, outHeight, outWidth, CubicTaps),
            (LatentResizeMode.Nearest, _) => Interpolate(input, planes, height, width, outHeight, outWidth, (i, n, o) => NearestTaps(i, n, o, exact: false)),
            _ => Interpolate(input, planes, height, width, outHeight, outWidth, (i, n, o) => NearestTaps(i, n, o, exact: true)),
        };
    }

    /// <summary>One output index's taps: input indices and their weights.</summary>
    private delegate (int[] Index, float[] Weight) Taps(int output, int inSize, int outSize);

    /// <summary>The generic kernel: output = Σ_h w_h · (Σ_w w_w · x[h, w]), height outermost, as <c>Interpolate&lt;n&gt;::eval</c> nests.</summary>
    private static float[] Interpolate(ReadOnlySpan<float> input, int planes, int height, int width, int outHeight, int outWidth, Taps taps)
    {
        var rows = Enumerable.Range(0, outHeight).Select(y => taps(y, height, outHeight)).ToArray();
        var columns = Enumerable.Range(0, outWidth).Select(x => taps(x, width, outWidth)).ToArray();
        var output = new float[planes * outHeight * outWidth];
        for (var p = 0; p < planes; p++)
        {
            var plane = input.Slice(p * height * width, height * width);
            for (var y = 0; y < outHeight; y++)
            {
                var (rowIndex, rowWeight) = rows[y];
                for (var x = 0; x < outWidth; x++)
                {
                    var (columnIndex, columnWeight) = columns[x];
                    var sum = 0f;
                    for (var j = 0; j < rowIndex.Length; j++)
                    {
                        var line = plane.Slice(rowIndex[j] * width, width);
                        var inner = line[columnIndex[0]] * columnWeight[0];
                        for (var k = 1; k < columnIndex.Length; k++)
                        {
                            inner += line[columnIndex[k]] * columnWeight[k];
                        }

                        sum = j == 0 ? inner * rowWeight[0] : sum + inner * rowWeight[j];
                    }

                    output[(p * outHeight + y) * outWidth + x] = sum;
                }
            }
        }

        return output;
    }

    /// <summary><c>area_pixel_compute_scale</c> for a given size: input / output, in float.</summary>
    private static float Scale(int inSize, int outSize) => (float)inSize / outSize;

    /// <summary>Bilinear: <c>compute_source_index_and_lambda</c> (the source index clamped at 0, the second tap at the edge).</summary>
    private static (int[] Index, float[] Weight) LinearTaps(int output, int inSize, int outSize)
    {
        if (inSize == outSize)
        {
            return ([output, output], [1f, 0f]);
        }

        var real = Math.Max(Scale(inSize, outSize) * (output + 0.5f) - 0.5f, 0f);
        var index = Math.Min((int)MathF.Floor(real), inSize - 1);
        var lambda1 = Math.Min(Math.Max(real - index, 0f), 1f);
        var next = index + (index < inSize - 1 ? 1 : 0);
        return ([index, next], [1f - lambda1, lambda1]);
    }

    /// <summary>Bicubic: four taps around <c>floor(real)</c>, indices clamped to the edge (<c>upsample_get_value_bounded</c>).</summary>
    private static (int[] Index, float[] Weight) CubicTaps(int output, int inSize, int outSize)
    {
        var real = Scale(inSize, outSize) * (output + 0.5f) - 0.5f;
        var floor = MathF.Floor(real);
        var t = real - floor;
        var index = (int)floor;
        int[] taps = [.. Enumerable.Range(index - 1, 4).Select(i => Math.Clamp(i, 0, inSize - 1))];
        var x2 = 1f - t;
        return (taps, [Cubic2(t + 1f, CubicA), Cubic1(t, CubicA), Cubic1(x2, CubicA), Cubic2(x2 + 1f, CubicA)]);
    }

    private static float Cubic1(float x, float a) => ((a + 2) * x - (a + 3)) * x * x + 1;

    private static float Cubic2(float x, float a) => ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;

    /// <summary><c>nearest</c>: <c>floor(dst * scale)</c>; <c>nearest-exact</c>: <c>floor((dst + 0.5) * scale)</c>; both capped at the last index.</summary>
    private static (int[] Index, float[] Weight) NearestTaps(int output, int inSize, int outSize, bool exact)
    {
        if (inSize == outSize)
        {
            return ([output], [1f]);
        }

        if (!exact && outSize == 2 * inSize)
        {
            return ([output >> 1], [1f]);
        }

        var scale = Scale(inSize, outSize);
        var source = exact ? MathF.Floor((output + 0.5f) * scale) : MathF.Floor(output * scale);
        return ([Math.Min((int)source, inSize - 1)], [1f]);
    }

    /// <summary>
    /// Antialiased bilinear and bicubic: PIL's resampling (<c>_compute_index_ranges_weights</c>): a filter stretched by the
    /// scale when shrinking, weights normalized over the taps inside the image; the last dimension first, then the rows.
    /// </summary>
    private static float[] Separable(ReadOnlySpan<float> input, int planes, int height, int width, int outHeight, int outWidth, LatentResizeMode mode)
    {
        Func<float, float> filter = mode == LatentResizeMode.Bilinear ? Triangle : KeysCubic;
        var interpSize = mode == LatentResizeMode.Bilinear ? 2 : 4;
        var current = input.ToArray();
        if (outWidth != width)
        {
            var taps = Enumerable.Range(0, outWidth).Select(x => AntialiasTaps(x, width, outWidth, interpSize, filter)).ToArray();
            var next = new float[planes * height * outWidth];
            for (var line = 0; line < planes * height; line++)
            {
                for (var x = 0; x < outWidth; x++)
                {
                    next[line * outWidth + x] = Dot(current, line * width, 1, taps[x]);
                }
            }

            current = next;
        }

        if (outHeight != height)
        {
            var taps = Enumerable.Range(0, outHeight).Select(y => AntialiasTaps(y, height, outHeight, interpSize, filter)).ToArray();
            var next = new float[planes * outHeight * outWidth];
            for (var p = 0; p < planes; p++)
            {
                for (var y = 0; y < outHeight; y++)
                {
                    for (var x = 0; x < outWidth; x++)
                    {
                        next[(p * outHeight + y) * outWidth + x] = Dot(current, p * height * outWidth + x, outWidth, taps[y]);
                    }
                }
            }

            current = next;
        }

        return current;
    }

    private static float Dot(float[] values, int start, int stride, (int Min, float[] Weight) taps)
    {
        var sum = values[start + taps.Min * stride] * taps.Weight[0];
        for (var j = 1; j < taps.Weight.Length; j++)
        {
            sum += values[start + (taps.Min + j) * stride] * taps.Weight[j];
        }

        return sum;
    }

    private static (int Min, float[] Weight) AntialiasTaps(int output, int inSize, int outSize, int interpSize, Func<float, float> filter)
    {
        var scale = Scale(inSize, outSize);
        var support = scale >= 1f ? interpSize * 0.5f * scale : interpSize * 0.5f;
        var center = scale * (output + 0.5f);
        var invScale = scale >= 1f ? 1f / scale : 1f;
        var min = Math.Max((int)(center - support + 0.5f), 0);
        var size = Math.Min((int)(center + support + 0.5f), inSize) - min;
        var weights = new float[size];
        var total = 0f;
        for (var j = 0; j < size; j++)
        {
            weights[j] = filter((j + min - center + 0.5f) * invScale);
            total += weights[j];
        }

        for (var j = 0; j < size; j++)
        {
            weights[j] = total != 0f ? weights[j] / total : weights[j];
        }

        return (min, weights);
    }

    private static float Triangle(float x)
    {
        x = Math.Abs(x);
        return x < 1f ? 1f - x : 0f;
    }

    private static float KeysCubic(float x)
    {
        x = Math.Abs(x);
        return x < 1f ? Cubic1(x, AntialiasCubicA) : x < 2f ? Cubic2(x, AntialiasCubicA) : 0f;
    }
}
