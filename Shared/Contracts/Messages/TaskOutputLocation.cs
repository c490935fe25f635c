using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Messages;

/// <summary>Where a task's images go: <c>s3://{Bucket}/{Prefix}/{task id}/{task id}-{n}.png</c>.</summary>
public sealed record TaskOutputLocation(
    [property: JsonPropertyName("bucket")] string Bucket,
    [property: JsonPropertyName("prefix")] string Prefix);
