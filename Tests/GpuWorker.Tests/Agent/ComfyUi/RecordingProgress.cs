using System.Collections.Concurrent;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.TestSupport.ComfyUi;

namespace SdServerless.GpuWorker.Tests.Agent.ComfyUi;

/// <summary>Records progress as it is reported (synchronously, unlike <see cref="Progress{T}"/>) and can act on the first report.</summary>
public sealed class RecordingProgress(Action<DenoiseProgress>? onReport = null) : IProgress<DenoiseProgress>
{
    public ConcurrentQueue<DenoiseProgress> Reports { get; } = new();

    public void Report(DenoiseProgress value)
    {
        Reports.Enqueue(value);
        onReport?.Invoke(value);
    }
}
