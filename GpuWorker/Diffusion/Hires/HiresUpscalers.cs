using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Imaging;

namespace SdServerless.GpuWorker.Diffusion.Hires;

/// <summary>
/// A1111's <c>hr_upscaler</c> names the engine runs: its <c>latent_upscale_modes</c> (<c>shared.py</c>) and the two
/// Pillow upscalers. Model upscalers (ESRGAN, SwinIR, LDSR, ...) need their own networks and are refused by name.
/// </summary>
public static class HiresUpscalers
{
    private static readonly HiresUpscaler[] All =
    [
        new(HiresUpscalerNames.Latent, LatentResizeMode.Bilinear, false, null),
        new(HiresUpscalerNames.LatentAntialiased, LatentResizeMode.Bilinear, true, null),
        new(HiresUpscalerNames.LatentBicubic, LatentResizeMode.Bicubic, false, null),
        new(HiresUpscalerNames.LatentBicubicAntialiased, LatentResizeMode.Bicubic, true, null),
        new(HiresUpscalerNames.LatentNearest, LatentResizeMode.Nearest, false, null),
        new(HiresUpscalerNames.LatentNearestExact, LatentResizeMode.NearestExact, false, null),
        new(HiresUpscalerNames.Lanczos, null, false, PixelResizeFilter.Lanczos),
        new(HiresUpscalerNames.Nearest, null, false, PixelResizeFilter.Nearest),
    ];

    public static IReadOnlyList<string> Names => HiresUpscalerNames.All;

    /// <summary>The upscaler of that name (A1111 matches names exactly; case is forgiven here).</summary>
    public static HiresUpscaler Resolve(string? name)
    {
        var given = string.IsNullOrWhiteSpace(name) ? HiresUpscalerNames.Latent : name.Trim();
        return All.FirstOrDefault(upscaler => upscaler.Name == HiresUpscalerNames.Find(given))
            ?? throw new GenerationInputException("unsupported_hr_upscaler",
                $"hr_upscaler '{given}' is not available: the engine runs {string.Join(", ", Names)}; model upscalers (ESRGAN, SwinIR, LDSR, ...) are not");
    }
}
