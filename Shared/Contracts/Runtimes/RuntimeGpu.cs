using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

/// <summary>
/// How the GPU tier runs a runtime (<c>gpu</c> in the catalogue; read by <c>Infrastructure/k8s/render.mjs</c>).
/// Every field is optional; the renderer's defaults apply where one is missing.
/// </summary>
public sealed record RuntimeGpu
{
    /// <summary>a1111 and comfyui: the runtime server's container image, pinned by tag or digest, run beside the queue agent.</summary>
    [JsonPropertyName("image")] public string? Image { get; init; }

    /// <summary>a1111 and comfyui: where the server reads its models; the runtime's S3 model prefix is synced there.</summary>
    [JsonPropertyName("modelDirectory")] public string? ModelDirectory { get; init; }

    [JsonPropertyName("resources")] public RuntimeGpuResources? Resources { get; init; }

    [JsonPropertyName("nodeRequirements")] public RuntimeNodeRequirements? NodeRequirements { get; init; }

    [JsonPropertyName("scaling")] public RuntimeScaling? Scaling { get; init; }
}
