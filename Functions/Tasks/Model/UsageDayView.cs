using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>One day's (UTC, by creation) ended tasks on one runtime, summed.</summary>
public sealed record UsageDayView(
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("tasks")] int Tasks,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("pixels")] long Pixels,
    [property: JsonPropertyName("run_ms")] long RunMs,
    [property: JsonPropertyName("gpu_seconds")] double GpuSeconds,
    [property: JsonPropertyName("cost_usd")] decimal CostUsd);
