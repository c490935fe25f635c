using System.Text.Json;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Tokenization;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// A Stable Diffusion 1.x/2.x/Turbo model in the optimum ONNX layout, loaded once: tokenizer, scheduler config, text
/// encoder, UNet, VAE decoder and (when present) VAE encoder, with the constants read from the component configs.
/// </summary>
public sealed class StableDiffusionModel : IDisposable
{
    private StableDiffusionModel(string name, ClipTokenizer tokenizer, SchedulerConfig schedulerConfig, TextEncoder textEncoder,
        Unet unet, VaeDecoder vaeDecoder, VaeEncoder? vaeEncoder, float scalingFactor, int latentChannels, int nativeSize)
    {
        Name = name;
        Tokenizer = tokenizer;
        SchedulerConfig = schedulerConfig;
        TextEncoder = textEncoder;
        Unet = unet;
        VaeDecoder = vaeDecoder;
        VaeEncoder = vaeEncoder;
        ScalingFactor = scalingFactor;
        LatentChannels = latentChannels;
        NativeSize = nativeSize;
    }

    /// <summary>The model folder's name, written into each PNG's parameters.</summary>
    public string Name { get; }

    public ClipTokenizer Tokenizer { get; }

    public SchedulerConfig SchedulerConfig { get; }

    public TextEncoder TextEncoder { get; }

    public Unet Unet { get; }

    public VaeDecoder VaeDecoder { get; }

    /// <summary>Null when the export has no <c>vae_encoder/</c>: image-to-image is then refused.</summary>
    public VaeEncoder? VaeEncoder { get; }

    /// <summary>The VAE's <c>scaling_factor</c> (0.18215 for SD 1.x and 2.x).</summary>
    public float ScalingFactor { get; }

    public int LatentChannels { get; }

    /// <summary>Pixels per latent: 2^(VAE blocks - 1), 8 for every SD model.</summary>
    public int VaeScaleFactor => VaeDecoder.ScaleFactor;

    /// <summary>The UNet's training resolution in pixels (512 for SD 1.x, 768 for SD 2.x-v).</summary>
    public int NativeSize { get; }

    public static StableDiffusionModel Load(string folder, ExecutionProviders providers)
    {
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException($"Model folder does not exist: {folder}");
        }

        // 1. model_index.json: refuse what this engine cannot run
        var indexPath = Path.Combine(folder, "model_index.json");
        var index = ModelFiles.ReadJson<Dictionary<string, JsonElement>>(indexPath);
        var className = index.TryGetValue("_class_name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() ?? "" : "";
        if (className.Contains("XL", StringComparison.OrdinalIgnoreCase) || index.ContainsKey("text_encoder_2"))
        {
            throw new ModelLoadException($"{indexPath}: Stable Diffusion XL ({className}) is not supported yet; use an SD 1.x, 2.x or SD-Turbo export");
        }

        // 2. tokenizer and scheduler
        var tokenizer = ClipTokenizer.Load(Path.Combine(folder, "tokenizer"));
        var schedulerPath = Path.Combine(folder, "scheduler", "scheduler_config.json");
        var schedulerConfig = ModelFiles.ReadJson<SchedulerConfig>(schedulerPath);
        try
        {
            _ = new NoiseSchedule(schedulerConfig);
            _ = PredictionTypes.Parse(schedulerConfig.PredictionType);
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
        var scalingFactor = (float)vaeConfig.Number("scaling_factor", 0.18215);
        var latentChannels = vaeConfig.Integer("latent_channels", 4);
        var vaeScale = 1 << ((vaeConfig.ArrayLength("block_out_channels") ?? 4) - 1);
        var textConfig = ComponentConfig.Load(Path.Combine(folder, "text_encoder"));

        // 4. ONNX sessions, each from its own path
        var created = new List<IDisposable>();
        try
        {
            var textEncoder = Track(created, new TextEncoder(
                OnnxGraph.Load(Path.Combine(folder, "text_encoder", "model.onnx"), providers.Create()), textConfig.Integer("hidden_size", 768)));
            var unet = Track(created, new Unet(OnnxGraph.Load(Path.Combine(folder, "unet", "model.onnx"), providers.Create()), latentChannels));
            var vaeDecoder = Track(created, new VaeDecoder(OnnxGraph.Load(Path.Combine(folder, "vae_decoder", "model.onnx"), providers.Create()), vaeScale));
            var encoderPath = Path.Combine(folder, "vae_encoder", "model.onnx");
            var vaeEncoder = File.Exists(encoderPath)
                ? Track(created, new VaeEncoder(OnnxGraph.Load(encoderPath, providers.Create()), vaeScale))
                : null;
            if (unet.Channels != latentChannels)
            {
                throw new ModelLoadException($"{unet.Path}: the UNet takes {unet.Channels} channels but the VAE has {latentChannels} latent channels");
            }

            var nativeSize = unetConfig.Integer("sample_size", 64) * vaeScale;
            var modelName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
            return new StableDiffusionModel(modelName, tokenizer, schedulerConfig, textEncoder, unet, vaeDecoder, vaeEncoder, scalingFactor, latentChannels, nativeSize);
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
        Unet.Dispose();
        VaeDecoder.Dispose();
        VaeEncoder?.Dispose();
    }

    private static T Track<T>(List<IDisposable> created, T component) where T : IDisposable
    {
        created.Add(component);
        return component;
    }
}
