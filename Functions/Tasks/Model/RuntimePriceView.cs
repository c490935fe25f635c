using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>A runtime's price: the GPU instance's hourly price shared by the tasks it runs at once, and so the price of one task-second.</summary>
public sealed record RuntimePriceView(
    [property: JsonPropertyName("instance_hour_usd")] decimal InstanceHourUsd,
    [property: JsonPropertyName("concurrent_tasks")] int ConcurrentTasks,
    [property: JsonPropertyName("task_second_usd")] decimal TaskSecondUsd);
