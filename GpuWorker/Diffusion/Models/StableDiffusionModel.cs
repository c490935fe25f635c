using System.Text.Json;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Tokenization;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// A Stable Diffusion 1.x/2.x/Turbo or SDXL/SDXL-Turbo model in the optimum ONNX layout, loaded once: tokenizer(s),
/// scheduler config, text encoder(s), UNet, VAE decoder and (when present) VAE encoder, with the constants read from the
/// component configs. The SDXL refiner is refused with the reason.
/// </summary>
public sealed class StableDiffusionModel : IDisposable
{
    /// <summary>The hidden size of OpenCLIP ViT-H, SD 2.x's text encoder.</summary>
    private const int OpenClipHiddenSize = 1024;

    private StableDiffusionModel(ModelParts parts)
    {
        Name = parts.Name;
        Family = parts.Family;
        Turbo = parts.Turbo;
        Tokenizer = parts.Tokenizer;
        Tokenizer2 = parts.Tokenizer2;
        SchedulerConfig = parts.SchedulerConfig;
        TextEncoder = parts.TextEncoder;
        TextEncoder2 = parts.TextEncoder2;
        Unet = parts.Unet;
        VaeDecoder = parts.VaeDecoder;
        VaeEncoder = parts.VaeEncoder;
        VaeDecoderFp32 = parts.VaeDecoderFp32;
        ScalingFactor = parts.ScalingFactor;
        LatentChannels = parts.LatentChannels;
        NativeSize = parts.NativeSize;
        ForceZerosForEmptyPrompt = parts.ForceZerosForEmptyPrompt;
    }

    /// <summary>The model folder's name, written into each PNG's parameters.</summary>
    public string Name { get; }

    public ModelFamily Family { get; }

    /// <summary>SD-Turbo or SDXL-Turbo (the name in <c>model_index.json</c> or the folder's name says "turbo"): 1 to 4 steps, no guidance.</summary>
    public bool Turbo { get; }

    public ClipTokenizer Tokenizer { get; }

    /// <summary>SDXL: <c>tokenizer_2/</c> (pads with "!" where the first pads with the end token); null otherwise.</summary>
    public ClipTokenizer? Tokenizer2 { get; }

    public SchedulerConfig SchedulerConfig { get; }

    public TextEncoder TextEncoder { get; }

    /// <summary>SDXL: <c>text_encoder_2/</c>, a <c>CLIPTextModelWithProjection</c>; null otherwise.</summary>
    public TextEncoder? TextEncoder2 { get; }

    public Unet Unet { get; }

    public VaeDecoder VaeDecoder { get; }

    /// <summary>
    /// <c>vae_decoder_fp32/</c> beside a float16 export's <c>vae_decoder/</c>, when the folder has one: decodes again when
    /// the float16 decoder overflows (SDXL's VAE does); null otherwise.
    /// </summary>
    public VaeDecoder? VaeDecoderFp32 { get; }

    /// <summary>Null when the export has no <c>vae_encoder/</c>: image-to-image is then refused.</summary>
    public VaeEncoder? VaeEncoder { get; }

    /// <summary>The VAE's <c>scaling_factor</c> (0.18215 for SD 1.x and 2.x, 0.13025 for SDXL).</summary>
    public float ScalingFactor { get; }

    public int LatentChannels { get; }

    /// <summary>Pixels per latent: 2^(VAE blocks - 1), 8 for every SD model.</summary>
    public int VaeScaleFactor => VaeDecoder.ScaleFactor;

    /// <summary>The UNet's training resolution in pixels (512 for SD 1.x and SDXL-Turbo, 768 for SD 2.x-v, 1024 for SDXL).</summary>
    public int NativeSize { get; }

    /// <summary>SDXL's <c>force_zeros_for_empty_prompt</c> (default true): an empty negative prompt is zero embeddings, not the encoded "".</summary>
    public bool ForceZerosForEmptyPrompt { get; }

    /// <summary>The hidden size the UNet's <c>encoder_hidden_states</c> gets: both encoders' sizes for SDXL (768 + 1280 = 2048).</summary>
    public int ContextSize => TextEncoder.HiddenSize + (TextEncoder2?.HiddenSize ?? 0);

    public static StableDiffusionModel Load(string folder, ExecutionProviders providers)
    {
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException($"Model folder does not exist: {folder}");
        }

        // 1. model_index.json: the family, and what this engine cannot run
        var indexPath = Path.Combine(folder, "model_index.json");
        var index = ModelFiles.ReadJson<Dictionary<string, JsonElement>>(indexPath);
        var className = Text(index, "_class_name") ?? "";
        var modelName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var family = className.Contains("XL", StringComparison.OrdinalIgnoreCase) || index.ContainsKey("text_encoder_2")
            ? ModelFamily.StableDiffusionXL
            : ModelFamily.StableDiffusion;
        var turbo = (Text(index, "_name_or_path") ?? modelName).Contains("turbo", StringComparison.OrdinalIgnoreCase)
            || modelName.Contains("turbo", StringComparison.OrdinalIgnoreCase);
        if (family == ModelFamily.StableDiffusionXL)
        {
            RefuseRefiner(folder, indexPath, index);
        }

        // 2. tokenizers and scheduler; an OpenCLIP tokenizer (SD 2.x's, 1024 hidden; SDXL's second) must name its pad token
        var textConfig = ComponentConfig.Load(Path.Combine(folder, "text_encoder"));
        var openClip = family == ModelFamily.StableDiffusion && textConfig.Integer("hidden_size", 768) == OpenClipHiddenSize;
        var tokenizer = ClipTokenizer.Load(Path.Combine(folder, "tokenizer"), 77, padTokenRequired: openClip);
        var tokenizer2 = family == ModelFamily.StableDiffusionXL ? ClipTokenizer.Load(Path.Combine(folder, "tokenizer_2"), 77, padTokenRequired: true) : null;
        if (tokenizer2 is not null && tokenizer2.MaxLength != tokenizer.MaxLength)
        {
            throw new ModelLoadException($"{folder}: tokenizer/ takes {tokenizer.MaxLength} tokens but tokenizer_2/ takes {tokenizer2.MaxLength}; SDXL's encoders must agree");
        }

        var schedulerPath = Path.Combine(folder, "scheduler", "scheduler_config.json");
        var schedulerConfig = ModelFiles.ReadJson<SchedulerConfig>(schedulerPath);
        try
        {
            _ = new NoiseSchedule(schedulerConfig);
            _ = PredictionTypes.Parse(schedulerConfig.PredictionType);
            SchedulerConfigCheck.RefuseUnsupportedKeys(schedulerConfig);
        }
        catch (ArgumentException e)
        {
            throw new ModelLoadException($"{schedulerPath}: {e.Message}", e);
        }

        // 3. component configs
        var unetConfig = ComponentConfig.Load(Path.Combine(folder, "unet"));
        var inChannels = unetConfig.Integer("in_channels", 4);
        if (inChannels != 4)
        {
            throw new ModelLoadException($"{unetConfig.Path}: a UNet with {inChannels} input channels (inpainting or depth) is not supported");
        }

        var vaeConfig = ComponentConfig.Load(Path.Combine(folder, "vae_decoder"));
        var scalingFactor = (float)vaeConfig.Number("scaling_factor", family == ModelFamily.StableDiffusionXL ? 0.13025 : 0.18215);
        var latentChannels = vaeConfig.Integer("latent_channels", 4);
        var vaeScale = 1 << ((vaeConfig.ArrayLength("block_out_channels") ?? 4) - 1);
        var textConfig2 = family == ModelFamily.StableDiffusionXL ? ComponentConfig.Load(Path.Combine(folder, "text_encoder_2")) : null;

        // 4. ONNX sessions, each from its own path
        var created = new List<IDisposable>();
        try
        {
            var sdxl = family == ModelFamily.StableDiffusionXL;
            var textEncoder = Track(created, new TextEncoder(
                OnnxGraph.Load(Path.Combine(folder, "text_encoder", "model.onnx"), providers.Create()),
                textConfig.Integer("hidden_size", 768),
                sdxl ? TextEncoderOutputs.Penultimate : TextEncoderOutputs.LastHiddenState));
            var textEncoder2 = sdxl
                ? Track(created, new TextEncoder(
                    OnnxGraph.Load(Path.Combine(folder, "text_encoder_2", "model.onnx"), providers.Create()),
                    textConfig2!.Integer("hidden_size", 1280),
                    TextEncoderOutputs.PenultimateAndPooled,
                    textConfig2.Integer("projection_dim", 1280)))
                : null;
            var unet = Track(created, new Unet(
                OnnxGraph.Load(Path.Combine(folder, "unet", "model.onnx"), providers.Create()),
                latentChannels,
                ConfiguredTimeIds(unetConfig, textEncoder2?.PooledSize ?? 0),
                textEncoder2?.PooledSize ?? 0));
            var vaeDecoder = Track(created, new VaeDecoder(OnnxGraph.Load(Path.Combine(folder, "vae_decoder", "model.onnx"), providers.Create()), vaeScale));
            var fp32DecoderPath = Path.Combine(folder, "vae_decoder_fp32", "model.onnx");
            var vaeDecoderFp32 = File.Exists(fp32DecoderPath)
                ? Track(created, new VaeDecoder(OnnxGraph.Load(fp32DecoderPath, providers.Create()), vaeScale))
                : null;
            if (vaeDecoderFp32 is { IsFloat16: true })
            {
                throw new ModelLoadException($"{fp32DecoderPath}: the fallback decoder takes float16; it must be float32");
            }

            var encoderPath = Path.Combine(folder, "vae_encoder", "model.onnx");
            var vaeEncoder = File.Exists(encoderPath)
                ? Track(created, new VaeEncoder(VaeEncoderGraph.Load(encoderPath, providers.Create()), vaeScale))
                : null;
            CheckComponentsAgree(unet, latentChannels, textEncoder, textEncoder2, family);

            var nativeSize = unetConfig.Integer("sample_size", sdxl ? 128 : 64) * vaeScale;
            var forceZeros = !index.TryGetValue("force_zeros_for_empty_prompt", out var zeros) || zeros.ValueKind != JsonValueKind.False;
            return new StableDiffusionModel(new ModelParts(
                modelName, family, turbo, tokenizer, tokenizer2, schedulerConfig, textEncoder, textEncoder2, unet, vaeDecoder, vaeDecoderFp32, vaeEncoder,
                scalingFactor, latentChannels, nativeSize, sdxl && forceZeros));
        }
        catch
        {
            foreach (var component in created)
            {
                component.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        TextEncoder.Dispose();
        TextEncoder2?.Dispose();
        Unet.Dispose();
        VaeDecoder.Dispose();
        VaeDecoderFp32?.Dispose();
        VaeEncoder?.Dispose();
    }

    /// <summary>The SDXL refiner has only <c>text_encoder_2/</c> and conditions on an aesthetic score (5 time ids); say so before loading anything.</summary>
    private static void RefuseRefiner(string folder, string indexPath, Dictionary<string, JsonElement> index)
    {
        if (index.TryGetValue("requires_aesthetics_score", out var aesthetics) && aesthetics.ValueKind == JsonValueKind.True)
        {
            throw new ModelLoadException($"{indexPath}: requires_aesthetics_score is true, so this is the SDXL refiner, which is not supported; use SDXL base or SDXL-Turbo");
        }

        foreach (var part in new[] { "text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "unet", "vae_decoder" })
        {
            if (!Directory.Exists(Path.Combine(folder, part)))
            {
                var refiner = part is "text_encoder" or "tokenizer" ? " (an SDXL folder without it is the refiner, which is not supported)" : "";
                throw new ModelLoadException($"{folder}: the SDXL model has no {part}/{refiner}");
            }
        }
    }

    /// <summary>time ids per image from the UNet config: (projection_class_embeddings_input_dim - text_embeds) / addition_time_embed_dim.</summary>
    private static int ConfiguredTimeIds(ComponentConfig unetConfig, int textEmbeds)
    {
        var projection = unetConfig.Integer("projection_class_embeddings_input_dim", 0);
        var timeEmbed = unetConfig.Integer("addition_time_embed_dim", 0);
        return projection > textEmbeds && timeEmbed > 0 ? (projection - textEmbeds) / timeEmbed : Unet.SdxlTimeIds;
    }

    private static void CheckComponentsAgree(Unet unet, int latentChannels, TextEncoder textEncoder, TextEncoder? textEncoder2, ModelFamily family)
    {
        if (unet.Channels != latentChannels)
        {
            throw new ModelLoadException($"{unet.Path}: the UNet takes {unet.Channels} channels but the VAE has {latentChannels} latent channels");
        }

        if (family == ModelFamily.StableDiffusionXL && !unet.TakesAddedConditions)
        {
            throw new ModelLoadException($"{unet.Path}: an SDXL UNet must take 'text_embeds' and 'time_ids'; found: {string.Join(", ", unet.InputNames)}");
        }

        if (family == ModelFamily.StableDiffusion && unet.TakesAddedConditions)
        {
            throw new ModelLoadException($"{unet.Path}: the UNet takes 'text_embeds' and 'time_ids' (SDXL) but the folder has no text_encoder_2/ and tokenizer_2/");
        }

        if (textEncoder2 is not null && unet.TextEmbedsSize != textEncoder2.PooledSize)
        {
            throw new ModelLoadException($"{unet.Path}: the UNet takes text_embeds of {unet.TextEmbedsSize} but {textEncoder2.Path} pools to {textEncoder2.PooledSize}");
        }

        var contextSize = textEncoder.HiddenSize + (textEncoder2?.HiddenSize ?? 0);
        if (unet.FixedContextSize is { } fixedContext && fixedContext != contextSize)
        {
            throw new ModelLoadException($"{unet.Path}: the UNet takes encoder_hidden_states of {fixedContext} but the text encoders give {contextSize}");
        }
    }

    private static string? Text(Dictionary<string, JsonElement> index, string key) =>
        index.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static T Track<T>(List<IDisposable> created, T component) where T : IDisposable
    {
        created.Add(component);
        return component;
    }

    private sealed record ModelParts(
        string Name, ModelFamily Family, bool Turbo, ClipTokenizer Tokenizer, ClipTokenizer? Tokenizer2, SchedulerConfig SchedulerConfig,
        TextEncoder TextEncoder, TextEncoder? TextEncoder2, Unet Unet, VaeDecoder VaeDecoder, VaeDecoder? VaeDecoderFp32, VaeEncoder? VaeEncoder,
        float ScalingFactor, int LatentChannels, int NativeSize, bool ForceZerosForEmptyPrompt);
}
