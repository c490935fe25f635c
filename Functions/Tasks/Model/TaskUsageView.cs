using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>
/// What an ended task used: its wait and run, the GPU seconds it held (run time shared by the tasks its worker runs at
/// once), the images and pixels it produced, and the cost estimated from its runtime's catalogue <c>price</c>.
/// </summary>
public sealed record TaskUsageView(
    [property: JsonPropertyName("queue_ms")] long QueueMs,
    [property: JsonPropertyName("run_ms")] long RunMs,
    [property: JsonPropertyName("gpu_seconds")] double GpuSeconds,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("pixels")] long Pixels,
    [property: JsonPropertyName("cost_usd")] decimal? CostUsd);
