namespace SdServerless.Contracts.Tasks;

/// <summary>
/// The hires upscalers onnx runtimes run, by A1111's names: its <c>latent_upscale_modes</c> and its two Pillow upscalers.
/// Model upscalers (ESRGAN, SwinIR, LDSR, ...) are not among them.
/// </summary>
public static class HiresUpscalerNames
{
    public const string Latent = "Latent";
    public const string LatentAntialiased = "Latent (antialiased)";
    public const string LatentBicubic = "Latent (bicubic)";
    public const string LatentBicubicAntialiased = "Latent (bicubic antialiased)";
    public const string LatentNearest = "Latent (nearest)";
    public const string LatentNearestExact = "Latent (nearest-exact)";
    public const string Lanczos = "Lanczos";
    public const string Nearest = "Nearest";

    public static IReadOnlyList<string> All { get; } =
        [Latent, LatentAntialiased, LatentBicubic, LatentBicubicAntialiased, LatentNearest, LatentNearestExact, Lanczos, Nearest];

    /// <summary>The name as listed, matched without regard to case; null when it is not one of them.</summary>
    public static string? Find(string? name) =>
        string.IsNullOrWhiteSpace(name) ? Latent : All.FirstOrDefault(known => known.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
}
