using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>Records progress synchronously (unlike <see cref="Progress{T}"/>, which posts) and can act on a step.</summary>
public sealed class RecordingProgress(Action<DenoiseProgress>? onReport = null) : IProgress<DenoiseProgress>
{
    public List<DenoiseProgress> Reports { get; } = [];

    public void Report(DenoiseProgress value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
