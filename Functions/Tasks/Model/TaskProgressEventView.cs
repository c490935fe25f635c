using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>
/// A <c>progress</c> event of a task's stream: steps done, steps in all, their share of the whole task (0 to 1), and
/// when the worker recorded them (absent when the stream read them from the task).
/// </summary>
public sealed record TaskProgressEventView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("share")] double Share,
    [property: JsonPropertyName("at")] DateTimeOffset? At);
