namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>Settings bound from the <c>Diffusion</c> configuration section.</summary>
public sealed class DiffusionOptions
{
    public const string SectionName = "Diffusion";

    /// <summary>Folder of an optimum-layout ONNX model. Empty: a tiny random model is generated (images are noise).</summary>
    public string? ModelPath { get; set; }

    /// <summary>
    /// <c>cuda</c> (a model that cannot load the CUDA provider fails to load, with the reason: the worker never becomes
    /// ready), <c>cpu</c> (local runs and tests set it), or <c>auto</c> (CUDA, else the CPU with a warning; for the command line).
    /// </summary>
    public string ExecutionProvider { get; set; } = "cuda";

    /// <summary>CUDA device id.</summary>
    public int DeviceId { get; set; }

    /// <summary>CUDA provider options passed to ONNX Runtime as is, over the engine's defaults (<c>CudaProviderSettings.Defaults</c>), e.g. <c>cudnn_conv_algo_search=EXHAUSTIVE</c>.</summary>
    public Dictionary<string, string> CudaOptions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>ONNX Runtime's intra-op threads per session; 0 = the cores this process may use (<see cref="Environment.ProcessorCount"/>, which follows the container's CPU limit and affinity).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// ONNX Runtime's CPU memory arena (<c>SessionOptions.EnableCpuMemArena</c>): keeps freed CPU buffers for reuse.
    /// CPU-side only; the CUDA provider's device arena is set by <see cref="CudaOptions"/>.
    /// </summary>
    public bool CpuMemoryArena { get; set; } = true;

    /// <summary>ONNX Runtime's memory pattern (<c>SessionOptions.EnableMemoryPattern</c>): one planned block per input shape for intermediate values.</summary>
    public bool MemoryPattern { get; set; } = true;

    /// <summary>Weight prepacking (<c>session.disable_prepacking</c> when false): MatMul and convolution kernels keep a repacked copy of their weights.</summary>
    public bool WeightPrepacking { get; set; } = true;

    /// <summary>
    /// Weights are allocated in ONNX Runtime's memory arena (false: <c>session.use_device_allocator_for_initializers</c>,
    /// each weight allocated on its own, so the arena's rounding up of its chunks does not apply to them).
    /// </summary>
    public bool WeightsInArena { get; set; } = true;

    /// <summary>
    /// ONNX Runtime's graph optimization level (<c>ORT_ENABLE_ALL</c>, <c>ORT_ENABLE_EXTENDED</c>, ...). Empty: extended on
    /// the CPU, all on CUDA. <c>ORT_ENABLE_ALL</c> adds the CPU layout transform, which keeps a reordered copy of each
    /// convolution's weights and more than doubles peak memory on the CPU (docs/decisions/0417).
    /// </summary>
    public Microsoft.ML.OnnxRuntime.GraphOptimizationLevel? GraphOptimizationLevel { get; set; }

    /// <summary>Where the tiny model is generated when <see cref="ModelPath"/> is empty; default: the temp folder.</summary>
    public string? TinyModelCacheDirectory { get; set; }

    /// <summary>
    /// The tiny model's export variant when <see cref="ModelPath"/> is empty, as the <c>tiny-model --variant</c> option
    /// takes it: empty for SD 1.x-shaped, <c>sdxl</c> or <c>sdxl-turbo</c> for an SDXL-shaped one (a second local runtime).
    /// </summary>
    public string? TinyModelVariant { get; set; }

    /// <summary>Denoising steps of each warm-up generation at start (0 skips warm-up).</summary>
    public int WarmupSteps { get; set; } = 1;

    /// <summary>
    /// Most warm-up generations: they repeat until one takes no longer than <see cref="SteadyWarmupRatio"/> times the one
    /// before (ONNX Runtime needs about two runs per shape before its steps reach steady speed), at least two.
    /// </summary>
    public int WarmupMaxRuns { get; set; } = 4;

    /// <summary>A warm-up generation this close to the previous one's time counts as steady.</summary>
    public double SteadyWarmupRatio { get; set; } = 1.25;

    /// <summary>Image width and height of the warm-up generation; 0 = the model's native size (UNet sample_size x 8).</summary>
    public int WarmupSize { get; set; }
}
