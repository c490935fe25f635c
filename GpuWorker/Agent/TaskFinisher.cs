using Microsoft.Extensions.Logging;
using SdServerless.Aws.TaskCompletion;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.ServiceDefaults.Telemetry;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// The worker's side of ending a task: <see cref="TaskCompleter"/> under the <c>publish result</c> span, with the
/// result built from the task message, and the task's end-to-end time recorded for each end it publishes.
/// </summary>
public sealed partial class TaskFinisher(TaskCompleter completion, ILogger<TaskFinisher> logger)
{
    /// <summary>Ends the task (unless it ended already) and publishes its actual end once.</summary>
    public async Task CompleteAsync(GenerateImageRequested task, TaskEnd end, DateTimeOffset? startedAt, CancellationToken cancellationToken)
    {
        using (SdServerlessTelemetry.ActivitySource.StartActivity("publish result"))
        {
            var outcome = await completion.CompleteAsync(task.Id, end, finishedAt => ResultMessages.Create(
                task.Runtime, task.Id, task.Output, task.Context, end.State, end.Outputs, end.Error,
                startedAt is null ? null : (long)(startedAt.Value - task.SubmittedAt).TotalMilliseconds,
                startedAt is null ? null : (long)(finishedAt - startedAt.Value).TotalMilliseconds,
                finishedAt, end.PromptTokens), cancellationToken);
            if (outcome.EndedHere && outcome.Published is { } result)
            {
                LogCompleted(logger, task.Id, end.State, end.Error?.Code, (long)(result.FinishedAt - task.SubmittedAt).TotalMilliseconds,
                    startedAt is null ? null : (long)(result.FinishedAt - startedAt.Value).TotalMilliseconds);
            }
            Ended(task, outcome.Published);
        }
    }

    /// <summary>Publishes the end of a task that ended elsewhere (a cancel, another delivery), unless it was published already.</summary>
    public async Task PublishEndOnceAsync(GenerateImageRequested task, CancellationToken cancellationToken)
    {
        using (SdServerlessTelemetry.ActivitySource.StartActivity("publish result"))
        {
            Ended(task, await completion.PublishEndOnceAsync(task.Id, cancellationToken));
        }
    }

    /// <inheritdoc cref="PublishEndOnceAsync(GenerateImageRequested, CancellationToken)"/>
    public async Task PublishEndOnceAsync(GenerateImageRequested task, TaskRecord record, CancellationToken cancellationToken)
    {
        using (SdServerlessTelemetry.ActivitySource.StartActivity("publish result"))
        {
            Ended(task, await completion.PublishEndOnceAsync(record, cancellationToken));
        }
    }

    [LoggerMessage(LogLevel.Information, "Task {TaskId} completed: {Outcome} {ErrorCode}, {TotalMs} ms since submission, ran {RunMs} ms")]
    private static partial void LogCompleted(ILogger logger, string taskId, string outcome, string? errorCode, long totalMs, long? runMs);

    private static void Ended(GenerateImageRequested task, ImageGenerated? published)
    {
        if (published is not null)
        {
            WorkerMetrics.TaskEnded(published.Runtime, published.State, published.FinishedAt - task.SubmittedAt);
        }
    }
}
