using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Diffusion.Hires;

/// <summary>
/// A checked hires fix: the target size as A1111's <c>calculate_target_resolution</c> computes it, the size the first
/// pass is upscaled to (which covers the target when both <c>hr_resize_x</c> and <c>hr_resize_y</c> are given; the
/// overhang is then cropped from the latents, half each side), and the second pass's steps.
/// </summary>
public sealed record HiresPlan(HiresFix Fix, HiresUpscaler Upscaler, int Width, int Height, int UpscaleWidth, int UpscaleHeight, int Steps)
{
    /// <param name="steps">The first pass's steps.</param>
    /// <param name="imageToImage">Whether the request has an init image: A1111 runs the hires fix on text-to-image only.</param>
    public static HiresPlan Create(int width, int height, int steps, bool imageToImage, double denoisingStrength, HiresFix fix, int maxSteps)
    {
        ArgumentNullException.ThrowIfNull(fix);
        if (imageToImage)
        {
            throw new GenerationInputException("invalid_enable_hr", "enable_hr applies to text-to-image only, as in A1111");
        }

        if (fix.ResizeX < 0 || fix.ResizeY < 0)
        {
            throw new GenerationInputException("invalid_hr_resize", $"hr_resize_x/y must be 0 or more; got {fix.ResizeX}x{fix.ResizeY}");
        }

        if (!fix.Resized && (!double.IsFinite(fix.Scale) || fix.Scale <= 0))
        {
            throw new GenerationInputException("invalid_hr_scale", $"hr_scale must be more than 0; got {fix.Scale}");
        }

        if (fix.SecondPassSteps < 0 || fix.SecondPassSteps > maxSteps)
        {
            throw new GenerationInputException("invalid_hr_second_pass_steps", $"hr_second_pass_steps {fix.SecondPassSteps} is out of range 0..{maxSteps} (0: as many as steps)");
        }

        if (!double.IsFinite(denoisingStrength) || denoisingStrength is <= 0 or > 1)
        {
            throw new GenerationInputException("invalid_denoising_strength", $"denoising_strength {denoisingStrength} is out of range (0, 1]: the hires fix's second pass uses it");
        }

        var upscaler = HiresUpscalers.Resolve(fix.Upscaler);
        var target = HiresTarget.Calculate(width, height, fix.Scale, fix.ResizeX, fix.ResizeY);
        return new HiresPlan(fix, upscaler, target.Width, target.Height, target.UpscaleWidth, target.UpscaleHeight, fix.SecondPassSteps == 0 ? steps : fix.SecondPassSteps);
    }

    /// <summary>
    /// A1111's <c>setup_img2img_steps</c> with the steps given (its hires pass always gives them): the schedule is
    /// stretched to <c>int(steps / min(strength, 0.999))</c> and its last <see cref="Steps"/> steps run.
    /// </summary>
    public (int ScheduleSteps, int StartIndex) Schedule(double denoisingStrength)
    {
        var total = (int)(Steps / Math.Min(denoisingStrength, 0.999));
        return (total, total - Steps);
    }
}
