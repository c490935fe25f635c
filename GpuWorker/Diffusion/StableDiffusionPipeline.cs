using Microsoft.ML.OnnxRuntime;
using SdServerless.GpuWorker.Diffusion.Imaging;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// Text-to-image and image-to-image with Stable Diffusion on ONNX Runtime (diffusers' <c>StableDiffusionPipeline.__call__</c>).
/// Not thread-safe: it reuses its bound tensors across requests, so callers run one request at a time.
/// </summary>
public sealed class StableDiffusionPipeline(StableDiffusionModel model) : IDisposable
{
    public const int MinSize = 64;
    public const int MaxSize = 2048;
    public const int SizeMultiple = 64;
    public const int MaxSteps = 150;
    public const int MaxBatchSize = 8;
    public const float MaxCfgScale = 30f;

    private static readonly System.Diagnostics.ActivitySource Tracing = SdServerless.ServiceDefaults.Telemetry.SdServerlessTelemetry.ActivitySource;

    private readonly RunOptions runOptions = new();

    public StableDiffusionModel Model { get; } = model;

    public GenerationResult Run(GenerationRequest request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        // 1. Check inputs
        var plan = CheckInputs(request);
        var scheduler = SchedulerFactory.Create(request.Sampler, Model.SchedulerConfig);
        cancellationToken.ThrowIfCancellationRequested();
        runOptions.Terminate = false;
        using var stopOrt = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            // 2. Encode prompt: [uncond x batch, cond x batch] under guidance, else [cond x batch]
            float[] context;
            bool truncated;
            using (Tracing.StartActivity("encode prompt"))
            {
                (context, truncated) = EncodePrompt(plan);
            }

            // 3. Timesteps (image-to-image starts part-way, per denoising strength)
            scheduler.SetTimesteps(request.Steps);
            var timesteps = scheduler.Timesteps;
            var startIndex = plan.ImageToImage ? StartIndex(request.Steps, request.DenoisingStrength) : 0;

            // 4. Latents: randn * init_noise_sigma, or the init image's latents noised to the start step
            var perImage = Model.LatentChannels * plan.LatentHeight * plan.LatentWidth;
            var noise = new LatentNoise(plan.Seeds, perImage);
            var latents = PrepareLatents(plan, scheduler, noise, startIndex);

            // 5. Denoising loop: expand for CFG -> scale -> UNet -> guidance -> step
            var unet = Model.Unet.Bind(plan.UnetBatch, plan.LatentHeight, plan.LatentWidth, Model.Tokenizer.MaxLength, Model.TextEncoder.HiddenSize);
            unet.Context.Write(context);
            var modelInput = new float[plan.UnetBatch * perImage];
            var noisePrediction = new float[plan.UnetBatch * perImage];
            var guided = plan.Guided ? new float[latents.Length] : noisePrediction;
            var reports = progress is null ? [] : Enumerable.Range(1, timesteps.Count - startIndex).Select(done => new DenoiseProgress(done, timesteps.Count - startIndex)).ToArray();
            using var denoising = Tracing.StartActivity("denoise");
            denoising?.SetTag("sdserverless.steps", timesteps.Count - startIndex);
            denoising?.SetTag("sdserverless.sampler", request.Sampler);
            for (var i = startIndex; i < timesteps.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                scheduler.ScaleModelInput(latents, modelInput.AsSpan(0, latents.Length), i);
                if (plan.Guided)
                {
                    Guidance.Duplicate(modelInput);
                }

                unet.Sample.Write(modelInput);
                unet.Timestep.Fill(timesteps[i]);
                unet.Run(runOptions);
                unet.Output.Read(noisePrediction);
                if (plan.Guided)
                {
                    Guidance.Apply(noisePrediction, request.CfgScale, guided);
                }

                scheduler.Step(guided, i, latents, noise);
                progress?.Report(reports[i - startIndex]);
            }

            // 6. Decode
            denoising?.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            return new GenerationResult(Decode(plan, latents), truncated, Model.Name);
        }
        catch (Exception e) when (e is EngineFaultException or OnnxRuntimeException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The generation was canceled while ONNX Runtime was running", cancellationToken);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EngineFaultException($"ONNX Runtime failed preparing model {Model.Name}: {e.Message}", e);
        }
        catch (OutOfMemoryException e)
        {
            throw new EngineFaultException($"The worker ran out of host memory running model {Model.Name}: {e.Message}", e);
        }
    }

    /// <summary>The first step of an image-to-image run: the last <c>floor(steps * strength)</c> steps run (at least one).</summary>
    public static int StartIndex(int steps, float strength)
    {
        var denoised = Math.Clamp((int)(steps * strength), 1, steps);
        return steps - denoised;
    }

    public GenerationPlan CheckInputs(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (name, value) in new[] { ("width", request.Width), ("height", request.Height) })
        {
            if (value is < MinSize or > MaxSize || value % SizeMultiple != 0)
            {
                throw new GenerationInputException("unsupported_size", $"{name} {value} is not supported: use a multiple of {SizeMultiple} from {MinSize} to {MaxSize}");
            }
        }

        if (request.Steps is < 1 or > MaxSteps)
        {
            throw new GenerationInputException("invalid_steps", $"steps {request.Steps} is out of range 1..{MaxSteps}");
        }

        if (!float.IsFinite(request.CfgScale) || request.CfgScale < 0 || request.CfgScale > MaxCfgScale)
        {
            throw new GenerationInputException("invalid_cfg_scale", $"cfg_scale {request.CfgScale} is out of range 0..{MaxCfgScale}");
        }

        if (request.BatchSize is < 1 or > MaxBatchSize)
        {
            throw new GenerationInputException("invalid_batch_size", $"batch_size {request.BatchSize} is out of range 1..{MaxBatchSize}");
        }

        if (request.Seed < -1)
        {
            throw new GenerationInputException("invalid_seed", $"seed {request.Seed} is invalid: use -1 (random) or a non-negative number");
        }

        if (!SchedulerFactory.IsSupported(request.Sampler ?? ""))
        {
            throw new GenerationInputException("unsupported_sampler", $"sampler_name '{request.Sampler}' is not supported; use one of: {string.Join(", ", SchedulerFactory.SamplerNames)}");
        }

        var imageToImage = request.InitImage is not null;
        if (imageToImage)
        {
            if (Model.VaeEncoder is null)
            {
                throw new GenerationInputException("img2img_unsupported", $"model {Model.Name} has no vae_encoder, so image-to-image is not available");
            }

            if (!float.IsFinite(request.DenoisingStrength) || request.DenoisingStrength is <= 0 or > 1)
            {
                throw new GenerationInputException("invalid_denoising_strength", $"denoising_strength {request.DenoisingStrength} is out of range (0, 1]");
            }
        }

        var latentHeight = request.Height / Model.VaeScaleFactor;
        var latentWidth = request.Width / Model.VaeScaleFactor;
        var unet = Model.Unet;
        if ((unet.FixedLatentHeight is { } fixedHeight && fixedHeight != latentHeight) || (unet.FixedLatentWidth is { } fixedWidth && fixedWidth != latentWidth))
        {
            throw new GenerationInputException("unsupported_size",
                $"model {Model.Name} only generates {unet.FixedLatentWidth * Model.VaeScaleFactor}x{unet.FixedLatentHeight * Model.VaeScaleFactor}; got {request.Width}x{request.Height}");
        }

        var guided = request.CfgScale > 1f;
        var firstSeed = request.Seed == -1 ? Random.Shared.NextInt64(0, uint.MaxValue) : request.Seed;
        var seeds = Enumerable.Range(0, request.BatchSize).Select(i => firstSeed + i).ToArray();
        var unetBatch = guided ? 2 * seeds.Length : seeds.Length;
        if (unet.FixedBatch is { } fixedBatch && fixedBatch != unetBatch)
        {
            throw new GenerationInputException("invalid_batch_size",
                $"model {Model.Name} runs its UNet on exactly {fixedBatch} latents per step; this request needs {unetBatch} (batch_size {request.BatchSize}, guidance {(guided ? "on" : "off")})");
        }

        return new GenerationPlan(request, seeds, latentHeight, latentWidth, guided, imageToImage);
    }

    private (float[] Context, bool Truncated) EncodePrompt(GenerationPlan plan)
    {
        var tokenizer = Model.Tokenizer;
        var hidden = Model.TextEncoder.HiddenSize;
        var perPrompt = tokenizer.MaxLength * hidden;
        var cond = tokenizer.Encode(plan.Request.Prompt ?? "");
        var states = new float[plan.UnetBatch * perPrompt];
        var condStates = new float[perPrompt];
        Model.TextEncoder.Run(cond.Ids, condStates, runOptions);
        var truncated = cond.Truncated;
        var offset = 0;
        if (plan.Guided)
        {
            var uncond = tokenizer.Encode(plan.Request.NegativePrompt ?? "");
            var uncondStates = new float[perPrompt];
            Model.TextEncoder.Run(uncond.Ids, uncondStates, runOptions);
            truncated |= uncond.Truncated;
            for (var i = 0; i < plan.BatchSize; i++, offset += perPrompt)
            {
                uncondStates.CopyTo(states, offset);
            }
        }

        for (var i = 0; i < plan.BatchSize; i++, offset += perPrompt)
        {
            condStates.CopyTo(states, offset);
        }

        return (states, truncated);
    }

    private float[] PrepareLatents(GenerationPlan plan, IScheduler scheduler, LatentNoise noise, int startIndex)
    {
        var latents = new float[plan.BatchSize * noise.ElementsPerImage];
        if (!plan.ImageToImage)
        {
            noise.Fill(latents);
            var sigma = scheduler.InitNoiseSigma;
            for (var i = 0; i < latents.Length; i++)
            {
                latents[i] *= sigma;
            }

            return latents;
        }

        // Image-to-image: encode once, scale by the VAE's scaling factor, copy per image, noise to the start step.
        var request = plan.Request;
        var pixels = InitImageDecoder.Decode(request.InitImage!, request.Width, request.Height);
        var encoded = new float[noise.ElementsPerImage];
        Model.VaeEncoder!.Run(pixels, request.Height, request.Width, Model.LatentChannels, encoded, runOptions);
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] *= Model.ScalingFactor;
        }

        for (var image = 0; image < plan.BatchSize; image++)
        {
            encoded.CopyTo(latents, image * encoded.Length);
        }

        var initialNoise = new float[latents.Length];
        noise.Fill(initialNoise);
        scheduler.AddNoise(latents, initialNoise, startIndex);
        return latents;
    }

    private List<GeneratedImage> Decode(GenerationPlan plan, float[] latents)
    {
        var request = plan.Request;
        var perImage = latents.Length / plan.BatchSize;
        var scaled = new float[perImage];
        var pixels = new float[3 * request.Width * request.Height];
        var rgb = new byte[3 * request.Width * request.Height];
        var images = new List<GeneratedImage>(plan.BatchSize);
        for (var image = 0; image < plan.BatchSize; image++)
        {
            var source = latents.AsSpan(image * perImage, perImage);
            for (var i = 0; i < perImage; i++)
            {
                scaled[i] = source[i] / Model.ScalingFactor;
            }

            using (Tracing.StartActivity("vae decode"))
            {
                Model.VaeDecoder.Run(scaled, Model.LatentChannels, plan.LatentHeight, plan.LatentWidth, pixels, runOptions);
            }

            PixelConversion.ToRgb(pixels, request.Width, request.Height, rgb);
            var seed = plan.Seeds[image];
            var text = new Dictionary<string, string> { [InfoText.Keyword] = InfoText.Format(request, seed, Model.Name) };
            using (Tracing.StartActivity("png encode"))
            {
                images.Add(new GeneratedImage(PngEncoder.Encode(rgb, request.Width, request.Height, text), seed));
            }
        }

        return images;
    }

    public void Dispose()
    {
        runOptions.Dispose();
        Model.Dispose();
    }
}
