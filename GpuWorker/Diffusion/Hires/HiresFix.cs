namespace SdServerless.GpuWorker.Diffusion.Hires;

/// <summary>
/// AUTOMATIC1111's hires fix: after the first pass, upscale and run a second image-to-image pass at the target size,
/// with the request's <c>denoising_strength</c>. Named as A1111's <c>hr_*</c> fields.
/// </summary>
/// <param name="Scale"><c>hr_scale</c>: the target is the first pass's size times this, unless a resize is given.</param>
/// <param name="ResizeX"><c>hr_resize_x</c>: the target width; 0 to follow <paramref name="ResizeY"/> or the scale.</param>
/// <param name="ResizeY"><c>hr_resize_y</c>: the target height; 0 to follow <paramref name="ResizeX"/> or the scale.</param>
/// <param name="Upscaler"><c>hr_upscaler</c>: one of <see cref="HiresUpscalers.Names"/>.</param>
/// <param name="SecondPassSteps"><c>hr_second_pass_steps</c>: 0 runs as many steps as the first pass.</param>
/// <param name="Sampler"><c>hr_sampler_name</c>; null for the first pass's sampler.</param>
/// <param name="Scheduler"><c>hr_scheduler</c>; null for the first pass's schedule.</param>
/// <param name="Prompt"><c>hr_prompt</c>; null or empty for the first pass's prompt.</param>
/// <param name="NegativePrompt"><c>hr_negative_prompt</c>; null or empty for the first pass's negative prompt.</param>
public sealed record HiresFix(
    double Scale = 2.0,
    int ResizeX = 0,
    int ResizeY = 0,
    string Upscaler = SdServerless.Contracts.Tasks.HiresUpscalerNames.Latent,
    int SecondPassSteps = 0,
    string? Sampler = null,
    string? Scheduler = null,
    string? Prompt = null,
    string? NegativePrompt = null)
{
    /// <summary>Whether the target comes from <c>hr_resize_x/y</c> (A1111's infotext <c>Hires resize</c>) rather than <c>hr_scale</c>.</summary>
    public bool Resized => ResizeX != 0 || ResizeY != 0;
}
