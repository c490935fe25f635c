using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.Aws.Sns;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Aws.TaskCompletion;
using SdServerless.Contracts.Tasks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Begins a delivered task: queued → running (conditional), or a take-over of a task whose worker's lease lapsed; a
/// queued task past its latest start (the message's <c>start_by</c>) ends <c>expired</c> instead. A
/// task that already ended has its end published once; a started task whose client asked for <c>task.started</c> has
/// its start published. It also keeps the task's attempts: an attempt handed back by its worker (shutdown, Spot notice,
/// its own fault) is marked released and never counts; an attempt whose worker vanished counts, and after
/// <see cref="WorkerOptions.MaxCrashedAttempts"/> of them the task ends failed with <see cref="WorkerLostCode"/>.
/// SQS's receive count is only a backstop (serverless.template's <c>MaxReceiveCount</c>), since receives lost in a dying
/// worker's long poll and released attempts both spend it.
/// </summary>
public sealed partial class TaskStarter(
    TaskTable table, TaskFinisher finisher, ResultTopic results, IOptions<WorkerOptions> options, TimeProvider time, ILogger<TaskStarter> logger)
{
    public const string WorkerLostCode = "worker_lost";

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
        if (record.Status == TaskStatuses.Queued && TaskDeadlineErrors.Expired(task, startedAt) is { } expired)
        {
            // Not started by its latest start: it ends without running, so no start is published and nothing is written.
            LogExpired(logger, task.Id, expired.Code, (long)(startedAt - task.SubmittedAt).TotalMilliseconds);
            await finisher.CompleteAsync(task, TaskEnd.Expired(expired), startedAt: null, stopping);
            return new TaskStart.NothingToRun();
        }
        if (await table.TryStartAsync(task.Id, options.Value.WorkerId, startedAt, stopping))
        {
            if (record.CallbackUrl is not null && record.WebhookEvents.Contains(TaskStarted.RequestedBy, StringComparer.Ordinal))
            {
                await PublishStartedAsync(task, startedAt, stopping);
            }
            LogStarted(logger, task.Id, record.Attempts + 1, record.CrashedAttempts, (long)(startedAt - task.SubmittedAt).TotalMilliseconds);
            return new TaskStart.Started(startedAt, record.Attempts + 1);
        }

        record = await table.GetAsync(task.Id, stopping);
        if (record is null)
        {
            return new TaskStart.NothingToRun();
        }
        if (record.Status == TaskStatuses.Running && record.CrashedAttempts >= options.Value.MaxCrashedAttempts)
        {
            await FailLostAsync(task, record, stopping);
            return new TaskStart.NothingToRun();
        }
        if (!TaskStatuses.IsTerminal(record.Status) && await table.TakeOverAsync(task.Id, options.Value.WorkerId, stopping))
        {
            // Still running: the worker that started it lost its lease (it crashed), so this delivery takes over.
            var previous = record.Worker ?? "unknown";
            LogTakeover(logger, task.Id, previous);
            LogStarted(logger, task.Id, record.Attempts + 1, record.CrashedAttempts, (long)(startedAt - task.SubmittedAt).TotalMilliseconds);
            return new TaskStart.TakenOver(record.StartedAt ?? startedAt, previous, record.Attempts + 1);
        }
        // Ended meanwhile, or running on a worker whose lease holds.
        await finisher.PublishEndOnceAsync(task, stopping);
        return new TaskStart.NothingToRun();
    }

    /// <summary>Marks this worker's attempt released (handed back, not lost). Best effort: the mark is lost only if the table cannot be reached, and then the attempt counts as lost.</summary>
    public async Task ReleaseAsync(string taskId)
    {
        try
        {
            await table.ReleaseAsync(taskId, options.Value.WorkerId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or HttpRequestException or IOException or TimeoutException)
        {
            LogReleaseNotRecorded(logger, taskId, ex.Message);
        }
    }

    private async Task FailLostAsync(GenerateImageRequested task, TaskRecord record, CancellationToken stopping)
    {
        var error = new TaskError(WorkerLostCode,
            $"The task's worker stopped without a word {record.CrashedAttempts} times while running it (killed, crashed or out of memory); it is not run again.");
        LogLost(logger, task.Id, record.CrashedAttempts);
        await finisher.CompleteAsync(task, TaskEnd.Failed(error), record.StartedAt, stopping);
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

    [LoggerMessage(LogLevel.Information, "Task {TaskId} started: attempt {Attempt}, {CrashedAttempts} earlier attempts lost with their worker, queued {QueueMs} ms")]
    private static partial void LogStarted(ILogger logger, string taskId, int attempt, int crashedAttempts, long queueMs);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} expired ({Reason}) after {QueueMs} ms in the queue; it is not run")]
    private static partial void LogExpired(ILogger logger, string taskId, string reason, long queueMs);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} lost its worker {CrashedAttempts} times; it ends failed without running again")]
    private static partial void LogLost(ILogger logger, string taskId, int crashedAttempts);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId}: its release could not be recorded ({Error}); the attempt will count as lost")]
    private static partial void LogReleaseNotRecorded(ILogger logger, string taskId, string error);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} has no record in the table; its message is dropped")]
    private static partial void LogMissing(ILogger logger, string taskId);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} was running on {Worker}, whose lease lapsed; running it here")]
    private static partial void LogTakeover(ILogger logger, string taskId, string worker);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} started, but its start notification could not be published: {Error}")]
    private static partial void LogStartNotPublished(ILogger logger, string taskId, string error);
}
