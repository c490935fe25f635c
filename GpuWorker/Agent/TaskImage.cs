using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// One image a task made, read only when it is stored: already in memory (ONNX, A1111) or fetched from the runtime
/// (ComfyUI), so a task's images pass through memory one at a time.
/// </summary>
public sealed record TaskImage(long Seed, Func<CancellationToken, Task<byte[]>> ReadAsync)
{
    public static TaskImage Of(GeneratedImage image) => new(image.Seed, _ => Task.FromResult(image.Png));
}
