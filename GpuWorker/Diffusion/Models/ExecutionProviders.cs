using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// Session options for the configured execution provider. CUDA is appended in a try/catch: when its libraries cannot be
/// loaded ONNX Runtime throws, and the engine says so in the log and runs on the CPU instead.
/// </summary>
public sealed partial class ExecutionProviders(DiffusionOptions options, ILogger logger)
{
    /// <summary>"cuda" or "cpu": what the sessions created so far actually use.</summary>
    public string Active { get; private set; } = "cpu";

    private bool cudaUnavailable;

    public SessionOptions Create()
    {
        var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        var requested = options.ExecutionProvider.Trim().ToLowerInvariant();
        switch (requested)
        {
            case "cpu":
                Active = "cpu";
                break;
            case "cuda" when cudaUnavailable:
                Active = "cpu";
                break;
            case "cuda":
                try
                {
                    using var cuda = new OrtCUDAProviderOptions();
                    var settings = new Dictionary<string, string>(options.CudaOptions, StringComparer.Ordinal)
                    {
                        ["device_id"] = options.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    };
                    cuda.UpdateOptions(settings);
                    sessionOptions.AppendExecutionProvider_CUDA(cuda);
                    Active = "cuda";
                }
                catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
                {
                    LogCudaFallback(logger, options.DeviceId, e.Message);
                    cudaUnavailable = true;
                    Active = "cpu";
                }

                break;
            default:
                sessionOptions.Dispose();
                throw new ModelLoadException($"Diffusion:ExecutionProvider '{options.ExecutionProvider}' is not supported (cuda, cpu)");
        }

        return sessionOptions;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA execution provider (device {DeviceId}) is unavailable, running on the CPU instead: {Reason}")]
    private static partial void LogCudaFallback(ILogger logger, int deviceId, string reason);
}
