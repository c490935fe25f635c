using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

/// <summary>What the container holding the GPU requests: Kubernetes quantities (<c>"4"</c>, <c>"24Gi"</c>) and a GPU count.</summary>
public sealed record RuntimeGpuResources
{
    [JsonPropertyName("cpu")] public string? Cpu { get; init; }

    [JsonPropertyName("memory")] public string? Memory { get; init; }

    [JsonPropertyName("gpus")] public int? Gpus { get; init; }
}
