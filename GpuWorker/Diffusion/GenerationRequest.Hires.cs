using SdServerless.GpuWorker.Diffusion.Hires;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>A1111's hires fix (<c>enable_hr</c> and the <c>hr_*</c> fields).</summary>
public sealed partial record GenerationRequest
{
    /// <summary>A second image-to-image pass at a larger size, with <see cref="DenoisingStrength"/>; null for one pass.</summary>
    public HiresFix? Hires { get; init; }
}
