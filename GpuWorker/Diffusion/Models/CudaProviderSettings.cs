using System.Globalization;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// The CUDA execution provider's options: the engine's defaults (decision 0412), then <c>Diffusion:CudaOptions</c> over
/// them, then the device id.
/// </summary>
public static class CudaProviderSettings
{
    /// <summary>The engine's choices; every key can be overridden through <c>Diffusion:CudaOptions</c>.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // cuDNN's own heuristic picks each convolution's algorithm; ORT's default (EXHAUSTIVE) times every algorithm on the
        // first run of every new shape, which a request at a new size would wait for.
        ["cudnn_conv_algo_search"] = "HEURISTIC",

        // Grow the arena by what is asked for, not to the next power of two, so a large activation does not reserve
        // up to twice its size for the life of the worker.
        ["arena_extend_strategy"] = "kSameAsRequested",

        // Copies on the compute stream: a bound input's copy is ordered before the kernels that read it.
        ["do_copy_in_default_stream"] = "1",
    };

    public static Dictionary<string, string> For(DiffusionOptions options)
    {
        var settings = new Dictionary<string, string>(Defaults, StringComparer.Ordinal);
        foreach (var (key, value) in options.CudaOptions)
        {
            settings[key] = value;
        }

        settings["device_id"] = options.DeviceId.ToString(CultureInfo.InvariantCulture);
        return settings;
    }
}
