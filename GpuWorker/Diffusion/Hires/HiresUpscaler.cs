using SdServerless.GpuWorker.Diffusion.Imaging;

namespace SdServerless.GpuWorker.Diffusion.Hires;

/// <summary>
/// How the first pass becomes the second pass's start: a <c>Latent</c> upscaler interpolates the latents
/// (<paramref name="LatentMode"/>, <paramref name="Antialias"/>); a pixel upscaler decodes, resizes the 8-bit image with
/// <paramref name="PixelFilter"/> and encodes again.
/// </summary>
public sealed record HiresUpscaler(string Name, LatentResizeMode? LatentMode, bool Antialias, PixelResizeFilter? PixelFilter)
{
    public bool InLatentSpace => LatentMode is not null;
}
