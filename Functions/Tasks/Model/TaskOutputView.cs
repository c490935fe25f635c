using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>One image: a presigned download URL, its S3 location, and the seed that made it.</summary>
public sealed record TaskOutputView(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("s3_uri")] string S3Uri,
    [property: JsonPropertyName("seed")] long Seed);
