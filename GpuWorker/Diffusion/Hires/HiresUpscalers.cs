using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Imaging;

namespace SdServerless.GpuWorker.Diffusion.Hires;

/// <summary>
/// A1111's <c>hr_upscaler</c> names the engine runs: its <c>latent_upscale_modes</c> (<c>shared.py</c>) and the two
/// Pillow upscalers. Model upscalers (ESRGAN, SwinIR, LDSR, ...) need their own networks and are refused by name.
/// </summary>
public static class HiresUpscalers
{
    public const string Latent = "Latent";

    private static readonly HiresUpscaler[] All =
    [
        new(Latent, LatentResizeMode.Bilinear, false, null),
        new("Latent (antialiased)", LatentResizeMode.Bilinear, true, null),
        new("Latent (bicubic)", LatentResizeMode.Bicubic, false, null),
        new("Latent (bicubic antialiased)", LatentResizeMode.Bicubic, true, null),
        new("Latent (nearest)", LatentResizeMode.Nearest, false, null),
        new("Latent (nearest-exact)", LatentResizeMode.NearestExact, false, null),
        new("Lanczos", null, false, PixelResizeFilter.Lanczos),
        new("Nearest", null, false, PixelResizeFilter.Nearest),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(upscaler => upscaler.Name)];

    /// <summary>The upscaler of that name (A1111 matches names exactly; case is forgiven here).</summary>
    public static HiresUpscaler Resolve(string? name)
    {
        var given = string.IsNullOrWhiteSpace(name) ? Latent : name.Trim();
        return All.FirstOrDefault(upscaler => upscaler.Name.Equals(given, StringComparison.OrdinalIgnoreCase))
            ?? throw new GenerationInputException("unsupported_hr_upscaler",
                $"hr_upscaler '{given}' is not available: the engine runs {string.Join(", ", Names)}; model upscalers (ESRGAN, SwinIR, LDSR, ...) are not");
    }
}
