using Microsoft.ML.OnnxRuntime;
using SdServerless.GpuWorker.Diffusion.Hires;
using SdServerless.GpuWorker.Diffusion.Imaging;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Prompting;
using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// Text-to-image and image-to-image with Stable Diffusion 1.x/2.x and SDXL on ONNX Runtime (diffusers'
/// <c>StableDiffusionPipeline.__call__</c> and <c>StableDiffusionXLPipeline.__call__</c>; SDXL differs only in step 2,
/// two text encoders and a pooled embedding, and in the UNet's <c>text_embeds</c> and <c>time_ids</c> written before step 5).
/// Not thread-safe: it reuses its bound tensors across requests, so callers run one request at a time.
/// </summary>
public sealed partial class StableDiffusionPipeline(StableDiffusionModel model) : IDisposable
{
    public const int MinSize = 64;
    public const int MaxSize = 2048;
    public const int SizeMultiple = 64;
    public const int MaxSteps = 150;
    public const int MaxBatchSize = 8;
    public const float MaxCfgScale = 30f;

    /// <summary>SD-Turbo and SDXL-Turbo are distilled for 1 to 4 steps without guidance (their model cards).</summary>
    public const int TurboMaxSteps = 4;

    public const float TurboMaxCfgScale = 1f;

    private static readonly System.Diagnostics.ActivitySource Tracing = SdServerless.ServiceDefaults.Telemetry.SdServerlessTelemetry.ActivitySource;

    private readonly RunOptions runOptions = new();
    private ConditioningBuilder? conditioningBuilder;

    public StableDiffusionModel Model { get; } = model;

    /// <summary>The last run's denoising loop, as counted inside it.</summary>
    public DenoiseLoopStatistics LastLoop { get; } = new();

    /// <summary>What this model accepts, for the runtime catalogue.</summary>
    public DiffusionModelFacts Facts => new(
        Model.Name,
        Model.Family,
        Model.Turbo,
        Model.NativeSize,
        SizeMultiple,
        MinSize,
        MaxSize,
        Model.Turbo ? TurboMaxSteps : MaxSteps,
        Model.Turbo ? TurboMaxCfgScale : MaxCfgScale,
        MaxBatchSize,
        Model.VaeEncoder is not null,
        SchedulerFactory.SamplerNames.Where(sampler => SchedulerConfigCheck.SamplerConflict(sampler, Model.SchedulerConfig) is null).ToArray(),
        Model.Unet.FixedLatentWidth * Model.VaeScaleFactor,
        Model.Unet.FixedLatentHeight * Model.VaeScaleFactor);

    /// <summary>The most batches one request may ask for (<c>n_iter</c>).</summary>
    public const int MaxBatchCount = 16;

    public GenerationResult Run(GenerationRequest request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.BatchCount == 1)
        {
            return RunBatch(request, progress, cancellationToken);
        }

        // n_iter: A1111 gives image x of all n_iter * batch_size the seed seed + x (the seed itself with a variation
        // seed) and the subseed subseed + x; each batch runs as a request of its own with its first seeds.
        if (request.BatchCount is < 1 or > MaxBatchCount)
        {
            throw new GenerationInputException("invalid_n_iter", $"n_iter {request.BatchCount} is out of range 1..{MaxBatchCount}");
        }

        if (request.NoiseLayout == NoiseLayout.WholeBatch)
        {
            throw new GenerationInputException("invalid_noise_layout", "noise_layout whole_batch (ComfyUI's) does not take n_iter; use noise_layout per_image");
        }

        var seed = NoisePlanner.Resolve(request.Seed);
        var subseed = NoisePlanner.Resolve(request.Subseed);
        var images = new List<GeneratedImage>();
        PromptTokenUsage? tokens = null;
        for (var batch = 0; batch < request.BatchCount; batch++)
        {
            var first = batch * request.BatchSize;
            var one = request with { BatchCount = 1, Seed = request.SubseedStrength == 0 ? seed + first : seed, Subseed = subseed + first };
            var result = RunBatch(one, progress is null ? null : new BatchCountProgress(progress, batch, request.BatchCount), cancellationToken);
            images.AddRange(result.Images);
            tokens ??= result.PromptTokens;
        }

        return new GenerationResult(images, tokens, Model.Name);
    }

    /// <summary>One batch's progress as part of all <c>n_iter</c> batches: step s of batch b is step b * steps + s.</summary>
    private sealed class BatchCountProgress(IProgress<DenoiseProgress> inner, int batch, int batches) : IProgress<DenoiseProgress>
    {
        public void Report(DenoiseProgress value) => inner.Report(new DenoiseProgress(batch * value.Steps + value.Step, batches * value.Steps));
    }

    private GenerationResult RunBatch(GenerationRequest request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        // 1. Check inputs
        var plan = CheckInputs(request);
        (HiresPlan Hires, GenerationPlan Plan)? hires = request.Hires is null ? null : CheckHires(plan);
        LastLoop.Reset();
        cancellationToken.ThrowIfCancellationRequested();
        runOptions.Terminate = false;
        using var stopOrt = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            if (hires is { } second)
            {
                return RunHires(plan, second.Hires, second.Plan, progress, cancellationToken);
            }

            var startIndex = plan.ImageToImage ? StartIndex(request.Steps, request.DenoisingStrength) : 0;
            var (latents, usage) = Sample(plan, request.Steps, startIndex, null, progress, cancellationToken);

            // 6. Decode
            cancellationToken.ThrowIfCancellationRequested();
            return new GenerationResult(Decode(plan, latents, image => InfoText.Format(request, plan.Seeds[image], Model.Name, plan.Noise, image, plan.Sampling)), usage, Model.Name);
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

    /// <summary>
    /// Steps 2 to 5 of one pass: the schedule of <paramref name="scheduleSteps"/> steps run from
    /// <paramref name="startIndex"/>, starting from noise, the init image, or <paramref name="startLatents"/> (the hires
    /// fix's upscaled first pass) noised to the start step. Returns the denoised latents.
    /// </summary>
    private (float[] Latents, PromptTokenUsage Usage) Sample(
        GenerationPlan plan, int scheduleSteps, int startIndex, float[]? startLatents, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        var request = plan.Request;
        var scheduler = SchedulerFactory.Create(plan.Sampling, Model.SchedulerConfig, plan.SamplerOptions, request.Eta);

        // 2. Encode prompt: [uncond x batch, cond x batch] under guidance, else [cond x batch]; SDXL also pools
        PromptConditioning prompt;
        using (Tracing.StartActivity("encode prompt"))
        {
            prompt = EncodePrompt(plan);
        }

        // 3. Timesteps (image-to-image starts part-way, per denoising strength)
        scheduler.SetTimesteps(scheduleSteps);
        var timesteps = scheduler.Timesteps;

        // 4. Latents: randn * init_noise_sigma, or the init image's latents noised to the start step
        var perImage = Model.LatentChannels * plan.LatentHeight * plan.LatentWidth;
        var (latents, noise) = PrepareLatents(plan, scheduler, startIndex, startLatents);
        startIndex = scheduler.Begin(startIndex, noise);
        timesteps = scheduler.Timesteps;

        // 5. Denoising loop: expand for CFG -> scale -> UNet -> guidance -> step
        var unet = Model.Unet.Bind(plan.UnetBatch, plan.LatentHeight, plan.LatentWidth, prompt.ContextTokens, Model.ContextSize);
        unet.Context.Write(prompt.Context);
        WriteAddedConditions(plan, prompt, unet);
        var modelInput = new float[plan.UnetBatch * perImage];
        var noisePrediction = new float[plan.UnetBatch * perImage];
        var guided = plan.Guided ? new float[latents.Length] : noisePrediction;
        var reports = progress is null ? [] : Enumerable.Range(1, timesteps.Count - startIndex).Select(done => new DenoiseProgress(done, timesteps.Count - startIndex)).ToArray();
        var allocatedBefore = 0L;
        using var denoising = Tracing.StartActivity("denoise");
        denoising?.SetTag("sdserverless.steps", timesteps.Count - startIndex);
        denoising?.SetTag("sdserverless.sampler", plan.Sampling.CombinedName);
        for (var i = startIndex; i < timesteps.Count; i++)
        {
            if (i == startIndex + 1)
            {
                allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            }

            cancellationToken.ThrowIfCancellationRequested();
            scheduler.ScaleModelInput(latents, modelInput.AsSpan(0, latents.Length), i);
            if (plan.Guided)
            {
                Guidance.Duplicate(modelInput);
            }

            unet.Sample.Write(modelInput);
            unet.Timestep.Fill(timesteps[i]);
            LastLoop.UnetRunStarted();
            unet.Run(runOptions);
            unet.Output.Read(noisePrediction);
            RequireFiniteNoisePrediction(noisePrediction, i, timesteps);
            if (plan.Guided)
            {
                Guidance.Apply(noisePrediction, request.CfgScale, guided);
            }

            scheduler.Step(guided, i, latents, noise);
            progress?.Report(reports[i - startIndex]);
        }

        var measuredSteps = timesteps.Count - startIndex - 1;
        LastLoop.LoopEnded(measuredSteps, measuredSteps > 0 ? GC.GetAllocatedBytesForCurrentThread() - allocatedBefore : 0);
        return (latents, prompt.Usage);
    }

    /// <summary>
    /// The first step of an image-to-image run: the last <c>floor(steps * strength)</c> steps run (at least one). In
    /// double, as diffusers' <c>int(num_inference_steps * strength)</c> is.
    /// </summary>
    public static int StartIndex(int steps, double strength)
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

        var maxSteps = Model.Turbo ? TurboMaxSteps : MaxSteps;
        if (request.Steps < 1 || request.Steps > maxSteps)
        {
            throw new GenerationInputException("invalid_steps", Model.Turbo
                ? $"steps {request.Steps} is out of range 1..{maxSteps}: {Model.Name} is a Turbo model, distilled for 1 to {maxSteps} steps"
                : $"steps {request.Steps} is out of range 1..{maxSteps}");
        }

        var maxCfg = Model.Turbo ? TurboMaxCfgScale : MaxCfgScale;
        if (!float.IsFinite(request.CfgScale) || request.CfgScale < 0 || request.CfgScale > maxCfg)
        {
            throw new GenerationInputException("invalid_cfg_scale", Model.Turbo
                ? $"cfg_scale {request.CfgScale} is out of range 0..{maxCfg}: {Model.Name} is a Turbo model, which runs without guidance"
                : $"cfg_scale {request.CfgScale} is out of range 0..{maxCfg}");
        }

        if (request.BatchSize is < 1 or > MaxBatchSize)
        {
            throw new GenerationInputException("invalid_batch_size", $"batch_size {request.BatchSize} is out of range 1..{MaxBatchSize}");
        }

        var sampling = SamplerSchedule.Resolve(request.Sampler, request.Scheduler);
        if (SchedulerConfigCheck.SamplerConflict(sampling.CombinedName, Model.SchedulerConfig) is { } conflict)
        {
            throw new GenerationInputException("unsupported_sampler", $"sampler_name '{request.Sampler}' is not available for model {Model.Name}: {conflict}");
        }

        var imageToImage = request.InitImage is not null;
        if (imageToImage)
        {
            if (Model.VaeEncoder is null)
            {
                throw new GenerationInputException("img2img_unsupported", $"model {Model.Name} has no vae_encoder, so image-to-image is not available");
            }

            if (!double.IsFinite(request.DenoisingStrength) || request.DenoisingStrength is <= 0 or > 1)
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
        var noise = NoisePlanner.Plan(request, MaxSize);
        var unetBatch = guided ? 2 * request.BatchSize : request.BatchSize;
        if (unet.FixedBatch is { } fixedBatch && fixedBatch != unetBatch)
        {
            throw new GenerationInputException("invalid_batch_size",
                $"model {Model.Name} runs its UNet on exactly {fixedBatch} latents per step; this request needs {unetBatch} (batch_size {request.BatchSize}, guidance {(guided ? "on" : "off")})");
        }

        return new GenerationPlan(request, noise, sampling, latentHeight, latentWidth, guided, imageToImage) { SamplerOptions = SamplerSettings.Check(request) };
    }

    /// <summary>
    /// The UNet's conditioning for the whole batch, read as A1111 reads prompts (<see cref="ConditioningBuilder"/>):
    /// 75-token chunks, emphasis, <c>BREAK</c>, clip skip.
    /// </summary>
    private PromptConditioning EncodePrompt(GenerationPlan plan) =>
        (conditioningBuilder ??= new ConditioningBuilder(Model, runOptions)).Build(plan.Request, plan.BatchSize, plan.Guided);

    /// <summary>SDXL: the pooled prompt as <c>text_embeds</c>, and <c>time_ids</c> = (height, width, 0, 0, height, width) for every image (diffusers <c>_get_add_time_ids</c> with the defaults: original size = target size, no crop).</summary>
    private static void WriteAddedConditions(GenerationPlan plan, PromptConditioning prompt, UnetBinding unet)
    {
        if (unet.TextEmbeds is null || unet.TimeIds is null)
        {
            return;
        }

        unet.TextEmbeds.Write(prompt.Pooled);
        var request = plan.Request;
        float[] perImage = [request.Height, request.Width, 0, 0, request.Height, request.Width];
        var timeIds = new float[plan.UnetBatch * perImage.Length];
        for (var image = 0; image < plan.UnetBatch; image++)
        {
            perImage.CopyTo(timeIds, image * perImage.Length);
        }

        unet.TimeIds.Write(timeIds);
    }

    /// <summary>
    /// The initial latents, and the noise the ancestral steps draw after them. The initial noise is drawn first, before
    /// the init image is encoded, as A1111 draws it (<c>NoisePlan.Draw</c>).
    /// </summary>
    private (float[] Latents, LatentNoise StepNoise) PrepareLatents(GenerationPlan plan, IScheduler scheduler, int startIndex, float[]? startLatents)
    {
        var channels = Model.LatentChannels;
        var perImage = channels * plan.LatentHeight * plan.LatentWidth;
        var initialNoise = new float[plan.BatchSize * perImage];
        var stepNoise = plan.Noise.Draw(initialNoise, channels, plan.LatentHeight, plan.LatentWidth);
        if (startLatents is not null)
        {
            scheduler.AddNoise(startLatents, initialNoise, startIndex);
            return (startLatents, stepNoise);
        }

        if (!plan.ImageToImage)
        {
            var sigma = scheduler.InitNoiseSigma;
            for (var i = 0; i < initialNoise.Length; i++)
            {
                initialNoise[i] *= sigma;
            }

            return (initialNoise, stepNoise);
        }

        // Image-to-image: encode once, scale by the VAE's scaling factor, copy per image, noise to the start step.
        var request = plan.Request;
        var latents = new float[initialNoise.Length];
        var pixels = InitImageDecoder.Decode(request.InitImage!, request.Width, request.Height);
        var encoded = new float[perImage];
        Encode(pixels, request.Height, request.Width, encoded);

        for (var image = 0; image < plan.BatchSize; image++)
        {
            encoded.CopyTo(latents, image * encoded.Length);
        }

        scheduler.AddNoise(latents, initialNoise, startIndex);
        return (latents, stepNoise);
    }

    /// <summary>Pixels in [-1, 1] to latents scaled by the VAE's scaling factor.</summary>
    private void Encode(float[] pixels, int height, int width, float[] encoded)
    {
        Model.VaeEncoder!.Run(pixels, height, width, Model.LatentChannels, encoded, runOptions);
        RequireFinite(encoded, "vae_encoder");
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] *= Model.ScalingFactor;
        }
    }

    private List<GeneratedImage> Decode(GenerationPlan plan, float[] latents, Func<int, string> infoText)
    {
        var request = plan.Request;
        var perImage = latents.Length / plan.BatchSize;
        var pixels = new float[3 * request.Width * request.Height];
        var rgb = new byte[3 * request.Width * request.Height];
        var images = new List<GeneratedImage>(plan.BatchSize);
        for (var image = 0; image < plan.BatchSize; image++)
        {
            DecodePixels(latents.AsSpan(image * perImage, perImage), plan.LatentHeight, plan.LatentWidth, pixels);
            PixelConversion.ToRgb(pixels, request.Width, request.Height, rgb);
            var seed = plan.Seeds[image];
            var text = new Dictionary<string, string> { [InfoText.Keyword] = infoText(image) };
            using (Tracing.StartActivity("png encode"))
            {
                images.Add(new GeneratedImage(PngEncoder.Encode(rgb, request.Width, request.Height, text), seed));
            }
        }

        return images;
    }

    /// <summary>One image's latents (scaled) to the VAE's pixels in [-1, 1], CHW.</summary>
    private void DecodePixels(ReadOnlySpan<float> latents, int latentHeight, int latentWidth, float[] pixels)
    {
        var scaled = new float[latents.Length];
        for (var i = 0; i < latents.Length; i++)
        {
            scaled[i] = latents[i] / Model.ScalingFactor;
        }

        using (Tracing.StartActivity("vae decode"))
        {
            Model.VaeDecoder.Run(scaled, Model.LatentChannels, latentHeight, latentWidth, pixels, runOptions);
            if (Model.VaeDecoderFp32 is { } fp32 && !AllFinite(pixels))
            {
                // The float16 decoder overflowed: decode again in float32, as diffusers upcasts for force_upcast.
                fp32.Run(scaled, Model.LatentChannels, latentHeight, latentWidth, pixels, runOptions);
            }
        }

        RequireFinite(pixels, "vae_decoder");
    }

    /// <summary>
    /// A float16 UNet that overflows gives NaN or infinity, which every later step and the VAE would carry into a black
    /// image: the engine's fault, named where it happens.
    /// </summary>
    private void RequireFiniteNoisePrediction(ReadOnlySpan<float> prediction, int step, IReadOnlyList<float> timesteps)
    {
        foreach (var value in prediction)
        {
            if (!float.IsFinite(value))
            {
                var precision = Model.Unet.OutputType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16 ? " (a float16 UNet can overflow: use an fp32 export)" : "";
                throw new EngineFaultException(
                    $"Model {Model.Name}: the UNet ({Model.Unet.Path}) produced NaN or infinite values at step {step + 1} of {timesteps.Count} (timestep {timesteps[step]}){precision}");
            }
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A VAE that overflows gives NaN or infinity; SDXL's own VAE does so in float16 (its config says
    /// <c>force_upcast</c>), and an image of it would be black. Say so, naming the fix.
    /// </summary>
    private void RequireFinite(ReadOnlySpan<float> values, string component)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                var fix = Model.Family == ModelFamily.StableDiffusionXL
                    ? "; SDXL's VAE overflows in float16: export the fp16 model with the fp16-fix VAE (madebyollin/sdxl-vae-fp16-fix), or add an fp32 decoder as vae_decoder_fp32/"
                    : "; a float16 VAE can overflow: use an fp32 VAE export";
                throw new EngineFaultException($"Model {Model.Name}: {component} produced NaN or infinite values{fix}");
            }
        }
    }

    public void Dispose()
    {
        runOptions.Dispose();
        Model.Dispose();
    }

    /// <summary>The UNet's text conditioning for a whole batch: hidden states, and SDXL's pooled embeddings (empty otherwise).</summary>
}
