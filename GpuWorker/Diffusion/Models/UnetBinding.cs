using Microsoft.ML.OnnxRuntime;

namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>
/// The UNet's tensors for one shape: write <see cref="Sample"/>, <see cref="Timestep"/> and <see cref="Context"/>
/// (and for SDXL <see cref="TextEmbeds"/> and <see cref="TimeIds"/>), <see cref="Run"/>, read <see cref="Output"/>. The
/// run binds each input written since its last run, so a value written once per request (the context) is copied to the
/// device once and the per-step sample and timestep at every step (<see cref="BoundRun"/>).
/// </summary>
public sealed class UnetBinding(
    BoundRun run, PinnedTensor sample, PinnedTensor timestep, PinnedTensor context, PinnedTensor output, PinnedTensor? textEmbeds = null, PinnedTensor? timeIds = null) : IDisposable
{
    public PinnedTensor Sample { get; } = sample;

    public PinnedTensor Timestep { get; } = timestep;

    public PinnedTensor Context { get; } = context;

    public PinnedTensor Output { get; } = output;

    /// <summary>SDXL only: the pooled prompt embedding per image, <c>[batch, 1280]</c>.</summary>
    public PinnedTensor? TextEmbeds { get; } = textEmbeds;

    /// <summary>SDXL only: original size, crop top-left and target size per image, <c>[batch, 6]</c>.</summary>
    public PinnedTensor? TimeIds { get; } = timeIds;

    public void Run(RunOptions options) => run.Run(options);

    public void Dispose() => run.Dispose();
}
