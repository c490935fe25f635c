using System.Text.Json;
using System.Text.Json.Serialization;

namespace SdServerless.Functions.Model;

/// <summary>The AWS guidance's request: <c>{"task":{"metadata":{...},"content":{...A1111 body...}}}</c>.</summary>
public sealed record GuidanceRequest([property: JsonPropertyName("task")] GuidanceTask? Task);

public sealed record GuidanceTask(
    [property: JsonPropertyName("metadata")] GuidanceMetadata? Metadata,
    [property: JsonPropertyName("content")] SubmitTaskRequest? Content);

public sealed record GuidanceMetadata(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("runtime")] string? Runtime,
    [property: JsonPropertyName("tasktype")] string? TaskType,
    [property: JsonPropertyName("prefix")] string? Prefix,
    [property: JsonPropertyName("context")] JsonElement? Context);
