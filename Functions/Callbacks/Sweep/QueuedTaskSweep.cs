using System.Text.Json;
using Amazon.Runtime;
using SdServerless.Aws.Recording;
using SdServerless.Aws.Sns;
using SdServerless.Aws.TaskCompletion;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Callbacks.Events;
using SdServerless.Functions.Tasks.Submission;

namespace SdServerless.Functions.Callbacks.Sweep;

/// <summary>
/// Finds tasks the API wrote but may never have published (still marked <c>publish_pending</c> past
/// <see cref="SweepOptions.PendingAfterSeconds"/>) and publishes them, so no task stays <c>queued</c> for a message
/// that was never sent. A task whose message cannot be rebuilt (its init images travel only in the message) or that
/// could not be published for <see cref="SweepOptions.GiveUpAfterMinutes"/> ends <c>failed</c> with
/// <c>publish_failed</c>, and its result (with it the webhook) is published. Then it expires the queued tasks no worker
/// received before their latest start (<see cref="ExpiredTaskSweep"/>). Runs on a schedule (docs/decisions/0341, 0338).
/// </summary>
public sealed partial class QueuedTaskSweep(
    UnpublishedTasks unpublished, TaskTable tasks, ClaimChecks claimChecks, TaskPublisher publisher, TaskCompleter completion,
    ExpiredTaskSweep expiry, SweepOptions options, TimeProvider time, ILogger<QueuedTaskSweep> logger)
{
    public async Task<SweepReport> RunAsync(CancellationToken cancellationToken)
    {
        // Deployed, the sweep runs in the callback function, under its role.
        using var caller = AwsCallLog.As(SqsBatchProcessor.CallLogCaller);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TimeSpan.FromSeconds(options.RunBudgetSeconds));
        var now = time.GetUtcNow();
        var ids = await unpublished.ListAsync(now - TimeSpan.FromSeconds(options.PendingAfterSeconds), options.MaxTasksPerRun, budget.Token);
        int republished = 0, failed = 0, cleared = 0;
        foreach (var id in ids)
        {
            if (budget.IsCancellationRequested)
            {
                break;
            }
            switch (await SweepAsync(id, now, budget.Token))
            {
                case SweepResult.Republished: republished++; break;
                case SweepResult.Failed: failed++; break;
                case SweepResult.Cleared: cleared++; break;
            }
        }
        LogSwept(logger, ids.Count, republished, failed, cleared);
        var (expired, _) = budget.IsCancellationRequested ? (0, 0) : await expiry.RunAsync(now, budget.Token);
        return new SweepReport(republished, failed, cleared, expired);
    }

    private async Task<SweepResult> SweepAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(id, cancellationToken);
        if (task is null)
        {
            return SweepResult.None;
        }
        if (task.Status != TaskStatuses.Queued)
        {
            // A worker started it (so its message went out) or it ended: only the mark is left.
            await unpublished.MarkPublishedAsync(id, cancellationToken);
            return SweepResult.Cleared;
        }
        var parameters = await ParametersAsync(task, cancellationToken);
        if (parameters is null)
        {
            return await FailAsync(task, "The task was stored but its message was never sent, and the images it needs travel only in that message; submit it again.", cancellationToken);
        }
        try
        {
            await publisher.PublishAsync(task, parameters, Context(task), cancellationToken);
        }
        catch (Exception ex) when (ex is SnsException or AmazonServiceException or HttpRequestException or OperationCanceledException)
        {
            if (now - task.CreatedAt < TimeSpan.FromMinutes(options.GiveUpAfterMinutes))
            {
                LogRepublishFailed(logger, ex, id);
                return SweepResult.None;
            }
            return await FailAsync(task, $"The task could not be queued for {options.GiveUpAfterMinutes} minutes: {ex.Message}", cancellationToken);
        }
        await unpublished.MarkPublishedAsync(id, cancellationToken);
        LogRepublished(logger, id, task.Runtime, (long)(now - task.CreatedAt).TotalSeconds);
        return SweepResult.Republished;
    }

    /// <summary>The whole parameters: the claim check's when there is one, else the table's when it kept them all.</summary>
    private async Task<GenerationParameters?> ParametersAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        if (await claimChecks.GetAsync(task.Id, cancellationToken) is { } whole)
        {
            return whole.Parameters;
        }
        var stored = CanonicalRequest.FromStoredJson(task.RequestJson);
        return stored.ClaimChecked is { Count: > 0 } || TaskRetry.NeedsInitImages(task.TaskType) ? null : stored.Parameters;
    }

    private async Task<SweepResult> FailAsync(TaskRecord task, string message, CancellationToken cancellationToken)
    {
        var outcome = await completion.CompleteAsync(task.Id, TaskEnd.Failed(new TaskError(TaskSubmitter.PublishFailedCode, message)), result: null, cancellationToken);
        await unpublished.MarkPublishedAsync(task.Id, cancellationToken);
        if (outcome.EndedHere)
        {
            LogFailed(logger, task.Id, message);
        }
        return outcome.EndedHere ? SweepResult.Failed : SweepResult.Cleared;
    }

    private static JsonElement? Context(TaskRecord task) =>
        task.ContextJson is { } context ? JsonDocument.Parse(context).RootElement.Clone() : null;

    private enum SweepResult { None, Republished, Failed, Cleared }

    [LoggerMessage(LogLevel.Information, "Sweep found {Found} tasks marked publish-pending: {Republished} published again, {Failed} failed, {Cleared} marks cleared")]
    private static partial void LogSwept(ILogger logger, int found, int republished, int failed, int cleared);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} of runtime {Runtime} was never published; published it {AgeSeconds} s after it was written")]
    private static partial void LogRepublished(ILogger logger, string taskId, string runtime, long ageSeconds);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} was never published and cannot be: failed ({Reason})")]
    private static partial void LogFailed(ILogger logger, string taskId, string reason);

    [LoggerMessage(LogLevel.Warning, "Publishing task {TaskId} again failed; the next sweep tries again")]
    private static partial void LogRepublishFailed(ILogger logger, Exception exception, string taskId);
}
