using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Sweep;

/// <summary>
/// What one sweep did: tasks published again, tasks failed, marks cleared from tasks that had left <c>queued</c>, and
/// queued tasks expired past their latest start.
/// </summary>
public sealed record SweepReport(
    [property: JsonPropertyName("republished")] int Republished,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("cleared")] int Cleared,
    [property: JsonPropertyName("expired")] int Expired);
