using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Tasks;

/// <summary>Generation parameters, named as in the AUTOMATIC1111 API.</summary>
public sealed record GenerationParameters
{
    [JsonPropertyName("prompt")] public string Prompt { get; init; } = "";
    [JsonPropertyName("negative_prompt")] public string? NegativePrompt { get; init; }
    [JsonPropertyName("width")] public int Width { get; init; } = 512;
    [JsonPropertyName("height")] public int Height { get; init; } = 512;
    [JsonPropertyName("steps")] public int Steps { get; init; } = 20;
    [JsonPropertyName("cfg_scale")] public float CfgScale { get; init; } = 7f;
    [JsonPropertyName("seed")] public long Seed { get; init; } = -1;
    [JsonPropertyName("sampler_name")] public string SamplerName { get; init; } = "Euler a";
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 1;
    [JsonPropertyName("denoising_strength")] public float DenoisingStrength { get; init; } = 0.75f;
    /// <summary>Data URLs or base64, <c>s3://</c> in the input bucket, or <c>https://</c> URLs.</summary>
    [JsonPropertyName("init_images")] public IReadOnlyList<string>? InitImages { get; init; }
}
