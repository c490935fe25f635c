namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>The Pillow filters of A1111's <c>Lanczos</c> and <c>Nearest</c> upscalers (<see cref="PillowResize"/>).</summary>
public enum PixelResizeFilter
{
    Lanczos,
    Nearest,
}
