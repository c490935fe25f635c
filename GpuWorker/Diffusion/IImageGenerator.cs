namespace SdServerless.GpuWorker.Diffusion;

/// <summary>Turns a generation request into PNG images. Bad input throws <see cref="GenerationInputException"/>.</summary>
public interface IImageGenerator
{
    Task<GenerationResult> GenerateAsync(GenerationRequest request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken);
}
