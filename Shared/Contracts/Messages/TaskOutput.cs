using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Messages;

/// <summary>One generated image.</summary>
public sealed record TaskOutput(
    [property: JsonPropertyName("s3_uri")] string S3Uri,
    [property: JsonPropertyName("seed")] long Seed);
