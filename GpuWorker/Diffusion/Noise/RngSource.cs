namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>Which generator turns a seed into noise (docs/decisions/0402).</summary>
public enum RngSource
{
    /// <summary>PyTorch's CPU generator: A1111 with its "CPU" source, and ComfyUI. Bit-exact.</summary>
    Cpu,

    /// <summary>A1111's "NV" source, its port of PyTorch's CUDA generator (A1111's default "GPU" source, to about 1e-6).</summary>
    Nv,
}

public static class RngSources
{
    public static INormalSource Create(RngSource source, long seed) => source switch
    {
        RngSource.Cpu => new TorchCpuGenerator(unchecked((ulong)seed)),
        RngSource.Nv => new PhiloxNvGenerator(unchecked((ulong)seed)),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    /// <summary>The native API's names, <c>cpu</c> and <c>nv</c>.</summary>
    public static string Name(RngSource source) => source == RngSource.Nv ? "nv" : "cpu";

    /// <summary>
    /// A native name (<c>cpu</c>, <c>nv</c>) or A1111's <c>randn_source</c> (<c>CPU</c>, <c>NV</c>, and <c>GPU</c>, which is
    /// PyTorch's CUDA generator that <c>nv</c> reproduces), case-insensitive; null when unknown.
    /// </summary>
    public static RngSource? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "cpu" => RngSource.Cpu,
        "nv" or "gpu" => RngSource.Nv,
        _ => null,
    };

    /// <summary>The infotext's <c>RNG</c> value, as A1111 names its sources.</summary>
    public static string InfoTextName(RngSource source) => source == RngSource.Nv ? "NV" : "CPU";
}
