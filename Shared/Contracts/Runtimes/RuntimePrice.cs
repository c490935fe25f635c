using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

/// <summary>
/// The price a runtime's usage is estimated with: the GPU instance's price per hour in US dollars, shared by the tasks
/// one instance runs at the same time. A task's cost is its run seconds × <see cref="PerTaskSecondUsd"/>.
/// </summary>
public sealed record RuntimePrice(
    [property: JsonPropertyName("instanceHourUsd")] decimal InstanceHourUsd,
    [property: JsonPropertyName("concurrentTasks")] int ConcurrentTasks = 1)
{
    public decimal PerTaskSecondUsd => InstanceHourUsd / 3600m / Math.Max(1, ConcurrentTasks);
}
