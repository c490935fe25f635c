using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Messages;

/// <summary>Why a task failed: a stable machine-readable code and a human message.</summary>
public sealed record TaskError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);
