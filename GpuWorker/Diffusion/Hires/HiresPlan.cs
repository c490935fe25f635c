using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Diffusion.Hires;

/// <summary>
/// A checked hires fix: the target size as A1111's <c>calculate_target_resolution</c> computes it, the size the first
/// pass is upscaled to (which covers the target when both <c>hr_resize_x</c> and <c>hr_resize_y</c> are given; the
/// overhang is then cropped from the latents, half each side), and the second pass's steps.
/// </summary>
public sealed record HiresPlan(HiresFix Fix, HiresUpscaler Upscaler, int Width, int Height, int UpscaleWidth, int UpscaleHeight, int Steps)
{
    public static HiresPlan Create(GenerationRequest request, HiresFix fix, int maxSteps)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(fix);
        if (request.InitImage is not null)
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

        if (!double.IsFinite(request.DenoisingStrength) || request.DenoisingStrength is <= 0 or > 1)
        {
            throw new GenerationInputException("invalid_denoising_strength", $"denoising_strength {request.DenoisingStrength} is out of range (0, 1]: the hires fix's second pass uses it");
        }

        var upscaler = HiresUpscalers.Resolve(fix.Upscaler);
        var steps = fix.SecondPassSteps == 0 ? request.Steps : fix.SecondPassSteps;
        var (width, height) = (request.Width, request.Height);
        if (!fix.Resized)
        {
            var x = (int)(width * fix.Scale);
            var y = (int)(height * fix.Scale);
            return new HiresPlan(fix, upscaler, x, y, x, y, steps);
        }

        // calculate_target_resolution: one side given keeps the aspect ratio; both given cover the target, then crop.
        int upX, upY;
        if (fix.ResizeY == 0)
        {
            (upX, upY) = (fix.ResizeX, fix.ResizeX * height / width);
        }
        else if (fix.ResizeX == 0)
        {
            (upX, upY) = (fix.ResizeY * width / height, fix.ResizeY);
        }
        else if ((double)width / height < (double)fix.ResizeX / fix.ResizeY)
        {
            (upX, upY) = (fix.ResizeX, fix.ResizeX * height / width);
        }
        else
        {
            (upX, upY) = (fix.ResizeY * width / height, fix.ResizeY);
        }

        var (targetX, targetY) = (fix.ResizeX == 0 ? upX : fix.ResizeX, fix.ResizeY == 0 ? upY : fix.ResizeY);
        return new HiresPlan(fix, upscaler, targetX, targetY, upX, upY, steps);
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

    /// <summary>The second pass as a request of its own: the target size, its steps, sampler and prompts, the first pass's seeds.</summary>
    public GenerationRequest SecondPass(GenerationRequest first) => first with
    {
        Width = Width,
        Height = Height,
        Steps = Steps,
        Sampler = string.IsNullOrWhiteSpace(Fix.Sampler) ? first.Sampler : Fix.Sampler,
        Scheduler = string.IsNullOrWhiteSpace(Fix.Scheduler) ? first.Scheduler : Fix.Scheduler,
        Prompt = string.IsNullOrEmpty(Fix.Prompt) ? first.Prompt : Fix.Prompt,
        NegativePrompt = string.IsNullOrEmpty(Fix.NegativePrompt) ? first.NegativePrompt : Fix.NegativePrompt,
        Hires = null,
    };
}
