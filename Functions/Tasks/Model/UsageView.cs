using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>The answer of <c>GET /v1/usage</c>: per day and runtime, and the totals over the range.</summary>
public sealed record UsageView(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("days")] IReadOnlyList<UsageDayView> Days,
    [property: JsonPropertyName("total")] UsageDayView Total);
