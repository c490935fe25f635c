using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Hires;
using SdServerless.GpuWorker.Diffusion.Imaging;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// A1111's hires fix (<c>StableDiffusionProcessingTxt2Img.sample_hr_pass</c>): the first pass at the requested size,
/// its latents upscaled (or decoded, resized and encoded), then a second image-to-image pass at the target size from
/// noise drawn afresh for the same seeds, and the images decoded at the target size.
/// </summary>
public sealed partial class StableDiffusionPipeline
{
    /// <summary>The hires plan and the second pass's checked request, before the first pass runs, so that bad input costs no step.</summary>
    private (HiresPlan Hires, GenerationPlan Plan) CheckHires(GenerationPlan first)
    {
        var request = first.Request;
        var hires = HiresPlan.Create(request.Width, request.Height, request.Steps, request.InitImage is not null, request.DenoisingStrength, request.Hires!, Model.Turbo ? TurboMaxSteps : MaxSteps);
        if (!hires.Upscaler.InLatentSpace && Model.VaeEncoder is null)
        {
            throw new GenerationInputException("unsupported_hr_upscaler",
                $"hr_upscaler '{hires.Upscaler.Name}' decodes, resizes and encodes again, and model {Model.Name} has no vae_encoder; use a Latent upscaler");
        }

        // The same seeds (picked once for both passes); A1111 draws the second pass's noise from fresh generators.
        var second = SecondPass(request, hires) with { Seed = first.Seeds[0], Subseed = first.Noise.Subseeds[0] };
        try
        {
            return (hires, CheckInputs(second));
        }
        catch (GenerationInputException e) when (e.Code == "unsupported_size")
        {
            throw new GenerationInputException("unsupported_hr_size", $"the hires fix's target size {hires.Width}x{hires.Height} is not supported: {e.Message}");
        }
    }

    /// <summary>The second pass as a request of its own: the target size, its steps, sampler and prompts.</summary>
    private static GenerationRequest SecondPass(GenerationRequest first, HiresPlan hires)
    {
        var fix = hires.Fix;
        return first with
        {
            Width = hires.Width,
            Height = hires.Height,
            Steps = hires.Steps,
            Sampler = string.IsNullOrWhiteSpace(fix.Sampler) ? first.Sampler : fix.Sampler,
            Scheduler = string.IsNullOrWhiteSpace(fix.Scheduler) ? first.Scheduler : fix.Scheduler,
            Prompt = string.IsNullOrEmpty(fix.Prompt) ? first.Prompt : fix.Prompt,
            NegativePrompt = string.IsNullOrEmpty(fix.NegativePrompt) ? first.NegativePrompt : fix.NegativePrompt,
            Hires = null,
        };
    }

    private GenerationResult RunHires(GenerationPlan first, HiresPlan hires, GenerationPlan second, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        // Progress counts both passes' model evaluations: the first pass's, then the second's after them.
        var request = first.Request;
        var (scheduleSteps, startIndex) = hires.Schedule(request.DenoisingStrength);
        var firstEvaluations = Evaluations(first, request.Steps, 0, fromImage: false);
        var total = firstEvaluations + Evaluations(second, scheduleSteps, startIndex, fromImage: true);
        var (latents, usage) = Sample(first, request.Steps, 0, null, HiresProgress.Of(progress, 0, total), cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        float[] start;
        using (var upscaling = Tracing.StartActivity("hires upscale"))
        {
            upscaling?.SetTag("sdserverless.hr_upscaler", hires.Upscaler.Name);
            start = Upscale(first, hires, latents);
        }

        var (final, _) = Sample(second, scheduleSteps, startIndex, start, HiresProgress.Of(progress, firstEvaluations, total), cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var info = new HiresInfo(hires, second.Sampling, second.Request.Prompt, second.Request.NegativePrompt);
        return new GenerationResult(
            Decode(second, final, image => InfoText.Format(request, first.Seeds[image], Model.Name, first.Noise, image, first.Sampling, info)), usage, Model.Name);
    }

    /// <summary>The first pass's latents at the upscale size, then cropped to the target (A1111 crops half the overhang each side).</summary>
    private float[] Upscale(GenerationPlan first, HiresPlan hires, float[] latents)
    {
        var channels = Model.LatentChannels;
        var factor = Model.VaeScaleFactor;
        var (upHeight, upWidth) = (hires.UpscaleHeight / factor, hires.UpscaleWidth / factor);
        var upscaled = hires.Upscaler.LatentMode is { } mode
            ? TorchInterpolate.Resize(latents, first.BatchSize * channels, first.LatentHeight, first.LatentWidth, upHeight, upWidth, mode, hires.Upscaler.Antialias)
            : ResizeInPixels(first, hires.Upscaler.PixelFilter!.Value, latents, upHeight, upWidth);
        return Crop(upscaled, first.BatchSize * channels, upHeight, upWidth, (hires.UpscaleHeight - hires.Height) / factor, (hires.UpscaleWidth - hires.Width) / factor);
    }

    /// <summary>A pixel upscaler: decode each image, make it 8-bit as A1111 does, resize it with Pillow's filter, encode it again.</summary>
    private float[] ResizeInPixels(GenerationPlan first, PixelResizeFilter filter, float[] latents, int upHeight, int upWidth)
    {
        var (width, height) = (first.Request.Width, first.Request.Height);
        var (outWidth, outHeight) = (upWidth * Model.VaeScaleFactor, upHeight * Model.VaeScaleFactor);
        var perImage = latents.Length / first.BatchSize;
        var perUpscaled = Model.LatentChannels * upHeight * upWidth;
        var pixels = new float[3 * width * height];
        var rgb = new byte[3 * width * height];
        var resizedPixels = new float[3 * outWidth * outHeight];
        var encoded = new float[perUpscaled];
        var upscaled = new float[first.BatchSize * perUpscaled];
        for (var image = 0; image < first.BatchSize; image++)
        {
            DecodePixels(latents.AsSpan(image * perImage, perImage), first.LatentHeight, first.LatentWidth, pixels);
            PixelConversion.ToRgbTruncated(pixels, width, height, rgb);
            var resized = filter == PixelResizeFilter.Lanczos
                ? PillowResize.Lanczos(rgb, width, height, outWidth, outHeight)
                : PillowResize.Nearest(rgb, width, height, outWidth, outHeight);
            PixelConversion.FromRgb(resized, outWidth, outHeight, resizedPixels);
            Encode(resizedPixels, outHeight, outWidth, encoded);
            encoded.CopyTo(upscaled, image * perUpscaled);
        }

        return upscaled;
    }

    /// <summary><c>samples[:, :, ty // 2 : H - (ty + 1) // 2, tx // 2 : W - (tx + 1) // 2]</c>.</summary>
    private static float[] Crop(float[] planes, int count, int height, int width, int truncateY, int truncateX)
    {
        if (truncateX == 0 && truncateY == 0)
        {
            return planes;
        }

        var (top, left) = (truncateY / 2, truncateX / 2);
        var (outHeight, outWidth) = (height - truncateY, width - truncateX);
        var cropped = new float[count * outHeight * outWidth];
        for (var p = 0; p < count; p++)
        {
            for (var y = 0; y < outHeight; y++)
            {
                planes.AsSpan((p * height + top + y) * width + left, outWidth).CopyTo(cropped.AsSpan((p * outHeight + y) * outWidth, outWidth));
            }
        }

        return cropped;
    }

    /// <summary>The model evaluations <paramref name="plan"/>'s sampler will make from <paramref name="startIndex"/> of <paramref name="scheduleSteps"/>.</summary>
    private int Evaluations(GenerationPlan plan, int scheduleSteps, int startIndex, bool fromImage)
    {
        var scheduler = SchedulerFactory.Create(plan.Sampling, Model.SchedulerConfig, plan.SamplerOptions, plan.Request.Eta);
        scheduler.SetTimesteps(scheduleSteps);
        return scheduler.EvaluationsFrom(startIndex, fromImage);
    }

    /// <summary>One pass's progress as part of both: evaluation e of a pass is evaluation offset + e of the total.</summary>
    private sealed class HiresProgress(IProgress<DenoiseProgress> inner, int offset, int total) : IProgress<DenoiseProgress>
    {
        public static IProgress<DenoiseProgress>? Of(IProgress<DenoiseProgress>? inner, int offset, int total) =>
            inner is null ? null : new HiresProgress(inner, offset, total);

        public void Report(DenoiseProgress value) => inner.Report(new DenoiseProgress(offset + value.Step, total));
    }
}
