namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// What the last run's denoising loop did, counted in the loop itself so tests and benchmarks observe the real loop:
/// the UNet runs it started, and the managed bytes it allocated after its first step (target: only the input
/// names ONNX Runtime's C# binding encodes when a step binds its fresh sample and timestep, about 72 B). Reset by each run.
/// </summary>
public sealed class DenoiseLoopStatistics
{
    /// <summary>UNet runs started (counted before each run, so a run that was cut short still counts).</summary>
    public int UnetRuns { get; private set; }

    /// <summary>Steps after the first that ran to the end; <see cref="BytesAllocatedAfterFirstStep"/> covers these.</summary>
    public int MeasuredSteps { get; private set; }

    /// <summary>Managed bytes the loop allocated on its thread from the start of its second step to its end.</summary>
    public long BytesAllocatedAfterFirstStep { get; private set; }

    internal void Reset() => (UnetRuns, MeasuredSteps, BytesAllocatedAfterFirstStep) = (0, 0, 0);

    internal void UnetRunStarted() => UnetRuns++;

    internal void LoopEnded(int measuredSteps, long allocatedBytes) => (MeasuredSteps, BytesAllocatedAfterFirstStep) = (measuredSteps, allocatedBytes);
}
