using System.Text.Json;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Usage;

/// <summary>
/// A task's usage from its record: queue time = started − created, run time = finished − started, GPU seconds = run
/// seconds / the runtime's <c>concurrentTasks</c>, cost = GPU seconds × <c>instanceHourUsd</c> / 3600, images = outputs,
/// pixels = images × the request's width × height (0 where the request names no size: ComfyUI, extras). Only ended
/// tasks have usage; one that ended before it started used no GPU.
/// </summary>
public sealed class UsageCalculator(RuntimeCatalog runtimes)
{
    public TaskUsageView? For(TaskRecord task)
    {
        if (!TaskStatuses.IsTerminal(task.Status) || task.FinishedAt is not { } finished)
        {
            return null;
        }
        var started = task.StartedAt;
        var queueMs = (long)((started ?? finished) - task.CreatedAt).TotalMilliseconds;
        var runMs = started is { } begun ? Math.Max(0, (long)(finished - begun).TotalMilliseconds) : 0;
        var price = runtimes.Find(task.Runtime)?.Price;
        var gpuSeconds = runMs / 1000.0 / Math.Max(1, price?.ConcurrentTasks ?? 1);
        decimal? cost = price is null ? null : Math.Round(runMs / 1000m * price.PerTaskSecondUsd, 8);
        var images = task.Outputs.Count;
        return new TaskUsageView(Math.Max(0, queueMs), runMs, Math.Round(gpuSeconds, 3), images, images * PixelsPerImage(task.RequestJson), cost);
    }

    private static long PixelsPerImage(string requestJson)
    {
        using var request = JsonDocument.Parse(requestJson);
        return request.RootElement.ValueKind == JsonValueKind.Object
            && request.RootElement.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("width", out var width) && width.ValueKind == JsonValueKind.Number
            && parameters.TryGetProperty("height", out var height) && height.ValueKind == JsonValueKind.Number
                ? width.GetInt64() * height.GetInt64()
                : 0;
    }
}
