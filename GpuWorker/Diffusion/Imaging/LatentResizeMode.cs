namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>The modes of <c>torch.nn.functional.interpolate</c> that A1111's <c>Latent</c> upscalers use (align_corners off).</summary>
public enum LatentResizeMode
{
    Bilinear,
    Bicubic,
    Nearest,
    NearestExact,
}
