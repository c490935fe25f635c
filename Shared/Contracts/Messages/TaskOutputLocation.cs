using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Messages;

/// <summary>Where a task's images go: <c>s3://{Bucket}/{Prefix}/{task id}/{task id}-{n}.png</c>.</summary>
public sealed record TaskOutputLocation(
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("prefix")] string Prefix)
{
    /// <summary>The key of image <paramref name="index"/>: deterministic, so a second run overwrites rather than adds.</summary>
    public string ImageKey(string taskId, int index) => $"{FolderKey(taskId)}/{taskId}-{index}.png";

    /// <summary>The guidance's <c>output_location</c>: <c>s3://{bucket}/{prefix}/{id}</c>.</summary>
    public string FolderUri(string taskId) => $"s3://{Bucket}/{FolderKey(taskId)}";

    private string FolderKey(string taskId) => Prefix.Trim('/') is { Length: > 0 } prefix ? $"{prefix}/{taskId}" : taskId;
}
