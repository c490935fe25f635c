using Microsoft.ML.OnnxRuntime;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>The UNet's bound tensors for one shape: write <see cref="Sample"/>, <see cref="Timestep"/> and <see cref="Context"/>, <see cref="Run"/>, read <see cref="Output"/>.</summary>
public sealed class UnetBinding(BoundRun run, PinnedTensor sample, PinnedTensor timestep, PinnedTensor context, PinnedTensor output) : IDisposable
{
    public PinnedTensor Sample { get; } = sample;

    public PinnedTensor Timestep { get; } = timestep;

    public PinnedTensor Context { get; } = context;

    public PinnedTensor Output { get; } = output;

    public void Run(RunOptions options) => run.Run(options);

    public void Dispose() => run.Dispose();
}
