using StbImageSharp;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>Decodes an image-to-image init image (PNG or JPEG) and resizes it to the requested size, as CHW floats in [-1, 1].</summary>
public static class InitImageDecoder
{
    public static float[] Decode(byte[] encoded, int width, int height)
    {
        ImageResult image;
        try
        {
            image = ImageResult.FromMemory(encoded, ColorComponents.RedGreenBlue);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            throw new GenerationInputException("invalid_init_image", $"init_images[0] is not a decodable PNG or JPEG image: {e.Message}");
        }

        var pixels = new float[3 * width * height];
        var plane = width * height;
        var scaleX = (double)image.Width / width;
        var scaleY = (double)image.Height / height;
        for (var y = 0; y < height; y++)
        {
            // Bilinear sampling at pixel centres.
            var sourceY = Math.Clamp((y + 0.5) * scaleY - 0.5, 0, image.Height - 1);
            var y0 = (int)sourceY;
            var y1 = Math.Min(y0 + 1, image.Height - 1);
            var wy = sourceY - y0;
            for (var x = 0; x < width; x++)
            {
                var sourceX = Math.Clamp((x + 0.5) * scaleX - 0.5, 0, image.Width - 1);
                var x0 = (int)sourceX;
                var x1 = Math.Min(x0 + 1, image.Width - 1);
                var wx = sourceX - x0;
                for (var c = 0; c < 3; c++)
                {
                    double At(int px, int py) => image.Data[(py * image.Width + px) * 3 + c];
                    var value = (At(x0, y0) * (1 - wx) + At(x1, y0) * wx) * (1 - wy) + (At(x0, y1) * (1 - wx) + At(x1, y1) * wx) * wy;
                    pixels[c * plane + y * width + x] = (float)(value / 127.5 - 1.0);
                }
            }
        }

        return pixels;
    }
}
