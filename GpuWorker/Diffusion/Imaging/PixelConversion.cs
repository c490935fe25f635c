namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>The VAE's CHW output in [-1, 1] to row-major RGB bytes: <c>round(clamp(x / 2 + 0.5, 0, 1) * 255)</c>.</summary>
public static partial class PixelConversion
{
    public static void ToRgb(ReadOnlySpan<float> chw, int width, int height, Span<byte> rgb)
    {
        var plane = width * height;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var value = Math.Clamp(chw[c * plane + i] / 2f + 0.5f, 0f, 1f);
                rgb[i * 3 + c] = (byte)(value * 255f + 0.5f);
            }
        }
    }
}
