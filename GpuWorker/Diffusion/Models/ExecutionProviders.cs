using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// Session options for the configured execution provider (<c>Diffusion:ExecutionProvider</c>): <c>cuda</c> must load the
/// CUDA provider or the model fails to load with the reason, so a GPU worker never runs on the CPU unnoticed; <c>cpu</c>
/// runs on the CPU; <c>auto</c> (the command line's default) tries CUDA and says in the log when it runs on the CPU instead.
/// </summary>
public sealed partial class ExecutionProviders(DiffusionOptions options, ILogger logger)
{
    private bool cudaUnavailable;

    /// <summary>"cuda" or "cpu": what the sessions created so far use.</summary>
    public string Active { get; private set; } = "cpu";

    /// <summary>ONNX Runtime's intra-op threads per session: <see cref="DiffusionOptions.IntraOpThreads"/>, else the cores this process may use.</summary>
    public int IntraOpThreads { get; } = options.IntraOpThreads > 0 ? options.IntraOpThreads : Environment.ProcessorCount;

    public SessionOptions Create()
    {
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = 1,
            EnableCpuMemArena = options.CpuMemoryArena,
            EnableMemoryPattern = options.MemoryPattern,
        };
        if (!options.WeightPrepacking)
        {
            sessionOptions.AddSessionConfigEntry("session.disable_prepacking", "1");
        }

        if (!options.WeightsInArena)
        {
            sessionOptions.AddSessionConfigEntry("session.use_device_allocator_for_initializers", "1");
        }

        try
        {
            switch (options.ExecutionProvider.Trim().ToLowerInvariant())
            {
                case "cpu":
                    Active = "cpu";
                    break;
                case "cuda":
                    AppendCuda(sessionOptions);
                    break;
                case "auto" when cudaUnavailable:
                    Active = "cpu";
                    break;
                case "auto":
                    try
                    {
                        AppendCuda(sessionOptions);
                    }
                    catch (ModelLoadException e)
                    {
                        LogCudaFallback(logger, options.DeviceId, e.Message);
                        cudaUnavailable = true;
                        Active = "cpu";
                    }

                    break;
                default:
                    throw new ModelLoadException($"Diffusion:ExecutionProvider '{options.ExecutionProvider}' is not supported (cuda, cpu, auto)");
            }
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }

        // The layout transform of ORT_ENABLE_ALL is the CPU provider's; on the CPU it more than doubles peak memory (decision 0417).
        sessionOptions.GraphOptimizationLevel = options.GraphOptimizationLevel
            ?? (Active == "cpu" ? GraphOptimizationLevel.ORT_ENABLE_EXTENDED : GraphOptimizationLevel.ORT_ENABLE_ALL);

        return sessionOptions;
    }

    private void AppendCuda(SessionOptions sessionOptions)
    {
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(CudaProviderSettings.For(options));
            sessionOptions.AppendExecutionProvider_CUDA(cuda);
            Active = "cuda";
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            throw new ModelLoadException(
                $"Diffusion:ExecutionProvider is '{options.ExecutionProvider}' but the CUDA execution provider (device {options.DeviceId}) cannot be loaded: {e.Message}. Set it to 'cpu' to run on the CPU.", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA execution provider (device {DeviceId}) is unavailable, running on the CPU as 'auto' allows: {Reason}")]
    private static partial void LogCudaFallback(ILogger logger, int deviceId, string reason);
}
