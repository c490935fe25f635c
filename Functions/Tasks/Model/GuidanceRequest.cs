using System.Text.Json;
using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>
/// The AWS guidance's request: <c>{"task":{"metadata":{...},"content":{...}}}</c>. The content is an A1111 body, or for
/// <c>tasktype: pipeline</c> a ComfyUI workflow: either the workflow itself or <c>{"workflow":{...},"inputs":[...]}</c>.
/// </summary>
public sealed record GuidanceRequest([property: JsonPropertyName("task")] GuidanceTask? Task);

public sealed record GuidanceTask(
    [property: JsonPropertyName("metadata")] GuidanceMetadata? Metadata,
    [property: JsonPropertyName("content")] JsonElement? Content);

public sealed record GuidanceMetadata(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("runtime")] string? Runtime,
    [property: JsonPropertyName("tasktype")] string? TaskType,
    [property: JsonPropertyName("prefix")] string? Prefix,
    [property: JsonPropertyName("context")] JsonElement? Context);
