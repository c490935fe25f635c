namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// Turns a generation request into PNG images. Bad input throws <see cref="GenerationInputException"/> (the task's
/// fault, permanent); a fault of the engine or the machine throws <see cref="EngineFaultException"/> (retry elsewhere).
/// </summary>
public interface IImageGenerator
{
    /// <summary>Completes once the generator can take requests (model loaded, runtime answering); throws when it never will.</summary>
    Task WaitUntilReadyAsync(CancellationToken cancellationToken);

    Task<GenerationResult> GenerateAsync(GenerationRequest request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken);
}
