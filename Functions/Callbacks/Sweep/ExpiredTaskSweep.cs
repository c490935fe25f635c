using SdServerless.Aws.TaskCompletion;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Callbacks.Sweep;

/// <summary>
/// Expires queued tasks whose latest start has passed and that no worker received meanwhile (a runtime scaled to zero
/// that low-priority tasks do not wake, no GPU capacity): they end <c>expired</c> as a worker would have ended them, with
/// their result and webhook, and the worker that receives the message later drops it (docs/decisions/0338).
/// </summary>
public sealed partial class ExpiredTaskSweep(ExpirableTasks expirable, TaskTable tasks, TaskCompleter completion, SweepOptions options, ILogger<ExpiredTaskSweep> logger)
{
    public async Task<(int Expired, int Cleared)> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = await expirable.ListPastStartAsync(now, options.MaxTasksPerRun, cancellationToken);
        int expired = 0, cleared = 0;
        foreach (var id in ids)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            var task = await tasks.GetAsync(id, cancellationToken);
            if (task is null)
            {
                continue;
            }
            if (task.Status == TaskStatuses.Queued && TaskExpiry.Expired(task.StartBy, task.Deadline, now) is { } reason)
            {
                // Conditional on queued: a worker that started it meanwhile keeps it (its deadline cancels it instead).
                if ((await completion.CompleteAsync(id, TaskEnd.Expired(reason), result: null, cancellationToken)).EndedHere)
                {
                    LogExpired(logger, id, task.Runtime, reason.Code, (long)(now - task.CreatedAt).TotalSeconds);
                    expired++;
                    continue;
                }
            }
            await expirable.ClearAsync(id, cancellationToken);
            cleared++;
        }
        if (ids.Count > 0)
        {
            LogSwept(logger, ids.Count, expired, cleared);
        }
        return (expired, cleared);
    }

    [LoggerMessage(LogLevel.Information, "Sweep found {Found} queued tasks past their latest start: {Expired} expired, {Cleared} left the index")]
    private static partial void LogSwept(ILogger logger, int found, int expired, int cleared);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} of runtime {Runtime} expired ({Reason}) in the queue {AgeSeconds} s after it was written, no worker having received it")]
    private static partial void LogExpired(ILogger logger, string taskId, string runtime, string reason, long ageSeconds);
}
