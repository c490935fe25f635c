using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.Aws.Sns;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Begins a delivered task: queued → running (conditional), or a take-over of a task whose worker's lease lapsed. A
/// task that already ended has its end published once; a started task whose client asked for <c>task.started</c> has
/// its start published.
/// </summary>
public sealed partial class TaskStarter(
    TaskTable table, TaskFinisher finisher, ResultTopic results, IOptions<WorkerOptions> options, TimeProvider time, ILogger<TaskStarter> logger)
{
    public async Task<TaskStart> StartAsync(GenerateImageRequested task, CancellationToken stopping)
    {
        var record = await table.GetAsync(task.Id, stopping);
        if (record is null)
        {
            LogMissing(logger, task.Id);
            return new TaskStart.NothingToRun();
        }
        if (TaskStatuses.IsTerminal(record.Status))
        {
            await finisher.PublishEndOnceAsync(task, record, stopping);
            return new TaskStart.NothingToRun();
        }

        var startedAt = time.GetUtcNow();
        if (await table.TryStartAsync(task.Id, options.Value.WorkerId, startedAt, stopping))
        {
            if (record.CallbackUrl is not null && record.WebhookEvents.Contains(TaskStarted.RequestedBy, StringComparer.Ordinal))
            {
                await PublishStartedAsync(task, startedAt, stopping);
            }
            return new TaskStart.Started(startedAt);
        }

        record = await table.GetAsync(task.Id, stopping);
        if (record is null)
        {
            return new TaskStart.NothingToRun();
        }
        if (!TaskStatuses.IsTerminal(record.Status) && await table.TakeOverAsync(task.Id, options.Value.WorkerId, stopping))
        {
            // Still running: the worker that started it lost its lease (it crashed), so this delivery takes over.
            var previous = record.Worker ?? "unknown";
            LogTakeover(logger, task.Id, previous);
            return new TaskStart.TakenOver(record.StartedAt ?? startedAt, previous);
        }
        // Ended meanwhile, or running on a worker whose lease holds.
        await finisher.PublishEndOnceAsync(task, stopping);
        return new TaskStart.NothingToRun();
    }

    /// <summary>Best effort: a lost start notification costs the client its task.started webhook, never the task.</summary>
    private async Task PublishStartedAsync(GenerateImageRequested task, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        try
        {
            await results.PublishStartedAsync(new TaskStarted(task.Id, task.Runtime, startedAt), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is SnsException or HttpRequestException or IOException or TimeoutException or TaskCanceledException)
        {
            LogStartNotPublished(logger, task.Id, ex.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} has no record in the table; its message is dropped")]
    private static partial void LogMissing(ILogger logger, string taskId);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} was running on {Worker}, whose lease lapsed; running it here")]
    private static partial void LogTakeover(ILogger logger, string taskId, string worker);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} started, but its start notification could not be published: {Error}")]
    private static partial void LogStartNotPublished(ILogger logger, string taskId, string error);
}
