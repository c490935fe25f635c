using Microsoft.Extensions.Logging;
using SdServerless.Aws.Tasks;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Attempts and what they cost the task: an attempt handed back by its worker (shutdown, Spot notice, its own fault) is
/// marked released and never counts; an attempt whose worker vanished counts, and after
/// <see cref="WorkerOptions.MaxCrashedAttempts"/> of them the task ends failed with <see cref="WorkerLostCode"/>.
/// SQS's receive count is only a backstop (serverless.template's <c>MaxReceiveCount</c>), since receives lost in a dying
/// worker's long poll and released attempts both spend it. One log line per step, with the task id, at Information.
/// </summary>
public sealed partial class TaskMessageHandler
{
    public const string WorkerLostCode = "worker_lost";

    private async Task<HandlerOutcome> FailLostAsync(GenerateImageRequested task, TaskRecord record, CancellationToken stopping)
    {
        var error = new TaskError(WorkerLostCode,
            $"The task's worker stopped without a word {record.CrashedAttempts} times while running it (killed, crashed or out of memory); it is not run again.");
        LogFailed(logger, task.Id, error.Code, error.Message);
        await FinishAsync(task, TaskStatuses.Failed, [], error, record.StartedAt, stopping);
        return HandlerOutcome.Delete;
    }

    /// <summary>Best effort: the release mark is lost only if the table cannot be reached, and then the attempt counts as a crash.</summary>
    private async Task ReleaseAttemptAsync(string taskId)
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

    [LoggerMessage(LogLevel.Information, "Task {TaskId} received ({Runtime}, {TaskType})")]
    private static partial void LogReceived(ILogger logger, string taskId, string runtime, string taskType);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} started: attempt {Attempt}, {CrashedAttempts} earlier attempts lost with their worker, queued {QueueMs} ms")]
    private static partial void LogStarted(ILogger logger, string taskId, int attempt, int crashedAttempts, long queueMs);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} completed: {Outcome} {ErrorCode}, {TotalMs} ms since submission, ran {RunMs} ms")]
    private static partial void LogCompleted(ILogger logger, string taskId, string outcome, string? errorCode, long totalMs, long? runMs);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId}: its release could not be recorded ({Error}); the attempt will count as lost")]
    private static partial void LogReleaseNotRecorded(ILogger logger, string taskId, string error);
}
