using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>The body of <c>POST /v1/uploads</c>: the type and exact size of the file to be uploaded.</summary>
public sealed record CreateUploadRequest
{
    /// <summary><c>image/png</c> or <c>image/jpeg</c>; the upload must send this <c>Content-Type</c>.</summary>
    [JsonPropertyName("content_type")] public string? ContentType { get; init; }

    /// <summary>The file's size in bytes; the upload must send exactly this <c>Content-Length</c>.</summary>
    [JsonPropertyName("size")] public long? Size { get; init; }
}
