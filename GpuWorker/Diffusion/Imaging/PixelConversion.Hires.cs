namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>The hires fix's pixel round trip as A1111 makes it (<c>sample_hr_pass</c>).</summary>
public static partial class PixelConversion
{
    /// <summary>
    /// The VAE's CHW output to RGB bytes as A1111 hands the first pass to a pixel upscaler:
    /// <c>(255 * clamp((x + 1) / 2, 0, 1)).astype(uint8)</c>, which truncates where <see cref="ToRgb"/> rounds.
    /// </summary>
    public static void ToRgbTruncated(ReadOnlySpan<float> chw, int width, int height, Span<byte> rgb)
    {
        var plane = width * height;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var value = Math.Clamp((chw[c * plane + i] + 1f) / 2f, 0f, 1f);
                rgb[i * 3 + c] = (byte)(255f * value);
            }
        }
    }

    /// <summary>RGB bytes to the VAE encoder's CHW input: <c>x / 255 * 2 - 1</c>, as <c>images_tensor_to_samples</c> scales them.</summary>
    public static void FromRgb(ReadOnlySpan<byte> rgb, int width, int height, Span<float> chw)
    {
        var plane = width * height;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                chw[c * plane + i] = rgb[i * 3 + c] / 255f * 2f - 1f;
            }
        }
    }
}
