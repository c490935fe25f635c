namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>How a batch's noise is drawn from its seed (docs/decisions/0402).</summary>
public enum NoiseLayout
{
    /// <summary>AUTOMATIC1111's: image i has its own generator seeded <c>seed + i</c>, so an image does not depend on the batch.</summary>
    PerImage,

    /// <summary>
    /// ComfyUI's <c>prepare_noise</c>: one generator seeded <c>seed</c> draws the whole batch at once; ancestral steps draw
    /// the whole batch from a second generator seeded <c>seed + 1</c> (ComfyUI sampling on the CPU).
    /// </summary>
    WholeBatch,
}

public static class NoiseLayouts
{
    public static string Name(NoiseLayout layout) => layout == NoiseLayout.WholeBatch ? "whole_batch" : "per_image";

    /// <summary><c>per_image</c> or <c>whole_batch</c>, case-insensitive; null when unknown.</summary>
    public static NoiseLayout? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "per_image" => NoiseLayout.PerImage,
        "whole_batch" => NoiseLayout.WholeBatch,
        _ => null,
    };
}
