using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>
/// A presigned upload: PUT the file's bytes to <paramref name="UploadUrl"/> with <paramref name="Headers"/>, then name
/// <paramref name="Ref"/> wherever an image is accepted.
/// </summary>
/// <param name="MaxSize">The largest upload this deployment accepts; the URL itself binds the exact size asked for.</param>
public sealed record UploadView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("upload_url")] string UploadUrl,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, string> Headers,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("max_size")] long MaxSize);
