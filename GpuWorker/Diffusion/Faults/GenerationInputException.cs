namespace SdServerless.GpuWorker.Diffusion.Faults;

/// <summary>The request cannot be served as given (unsupported sampler or size, undecodable init image, ...).</summary>
/// <param name="code">Stable, machine-readable reason, e.g. <c>unsupported_sampler</c>.</param>
public sealed class GenerationInputException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
