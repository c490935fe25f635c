using Amazon.Runtime;
using SdServerless.Aws.Sns;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Quotas;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// Turns a validated submission into a queued task: idempotency, the key's quotas, the table write, then the publish. Nothing is
/// published for a request that does not become a task; a task whose publish fails after retries is marked failed
/// with the reason, so it never waits in <c>queued</c> for a message that was never sent.
/// </summary>
public sealed class TaskSubmitter(
    TaskTable tasks, IdempotencyRecords idempotency, TaskPublisher publisher, UnpublishedTasks unpublished, QuotaGate quotas, TaskSubmitterSettings settings,
    TimeProvider time, ILogger<TaskSubmitter> logger)
{
    public const string PublishFailedCode = "publish_failed";

    /// <param name="idempotencyKey">The caller's <c>Idempotency-Key</c>, if any.</param>
    /// <param name="cancellationToken">Stops waiting for the caller; once the task is written, publishing goes on regardless.</param>
    public async Task<SubmitOutcome> SubmitAsync(TaskSubmission submission, string owner, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var canonical = CanonicalRequest.From(submission);
        var hash = canonical.Hash();
        var now = time.GetUtcNow();
        var id = submission.TaskId ?? TaskIds.New(now);
        // A chosen id or a claimed key may name a task that exists: that is a replay (or a conflict), not a new task.
        var mayExist = submission.TaskId is not null;

        if (idempotencyKey is not null)
        {
            var claim = await idempotency.ClaimAsync(owner, idempotencyKey, id, hash, now, settings.IdempotencyWindow, cancellationToken);
            if (!claim.Claimed)
            {
                if (claim.RequestHash != hash)
                {
                    return new SubmitOutcome(SubmitResult.Conflict, null,
                        "This Idempotency-Key was used with a different request in the last 24 hours; use a new key for a new request.");
                }
                // The first request with this key wrote its task, or is writing it, or stopped before it could: in
                // every case the task to answer with has the id the key was claimed for.
                id = claim.TaskId;
                mayExist = true;
            }
        }
        // Read first only where a replay would otherwise take quota; without limits the write's condition finds it.
        if (mayExist && quotas.Limits(owner) && await tasks.GetAsync(id, cancellationToken) is { } earlier)
        {
            return await ExistingAsync(earlier, submission, owner, hash);
        }

        // Taken before the write, so concurrent submits cannot pass a limit together (docs/decisions/0349).
        var ticket = await quotas.TakeAsync(owner, id, now, cancellationToken);
        if (ticket.Refusal is { } refusal)
        {
            return new SubmitOutcome(SubmitResult.OverQuota, null, Refusal: refusal);
        }

        var record = new TaskRecord
        {
            Id = id,
            Owner = owner,
            Status = TaskStatuses.Queued,
            Runtime = submission.Runtime,
            TaskType = submission.TaskType,
            RequestJson = canonical.ToStoredJson(),
            RequestHash = hash,
            Output = new TaskOutputLocation(settings.OutputBucket, submission.OutputPrefix),
            CreatedAt = now,
            CallbackUrl = submission.CallbackUrl,
            WebhookEvents = submission.WebhookEvents,
            MetadataJson = submission.Metadata?.GetRawText(),
            ContextJson = submission.Context?.GetRawText(),
            ExpiresAt = (now + settings.Retention).ToUnixTimeSeconds(),
            RetryOf = submission.RetryOf,
            // Until the publish is confirmed: a function that dies in between leaves the task to the sweep (0341).
            PublishPending = true,
            Deadline = submission.Timing.Deadline,
            StartBy = submission.Timing.StartBy,
            Priority = submission.Priority,
            RetentionDays = submission.Retention?.Days,
            QuotaSlot = ticket.Slot,
        };
        CreateTaskOutcome created;
        try
        {
            created = await tasks.CreateAsync(record, cancellationToken);
        }
        catch (Exception)
        {
            await ReturnUnwrittenAsync(ticket, id);
            throw;
        }
        if (!created.Created)
        {
            await quotas.ReturnAsync(ticket, keptSlot: created.Task.QuotaSlot);
            return await ExistingAsync(created.Task, submission, owner, hash);
        }

        return await PublishOrFailAsync(record, submission)
            ? new SubmitOutcome(SubmitResult.Created, record)
            : new SubmitOutcome(SubmitResult.PublishFailed, await tasks.GetAsync(id, CancellationToken.None) ?? record,
                "The task could not be queued; it has been marked failed. Submit it again later.");
    }

    private async Task<SubmitOutcome> ExistingAsync(TaskRecord existing, TaskSubmission submission, string owner, string hash)
    {
        if (existing.Owner != owner || existing.RequestHash != hash)
        {
            return new SubmitOutcome(SubmitResult.Conflict, null, $"A different task with id '{existing.Id}' already exists.");
        }
        if (existing.Status == TaskStatuses.Queued)
        {
            // The earlier request may have stopped between its write and its publish. Publishing again is safe:
            // a worker starts a task only by a conditional queued → running write, so a duplicate never runs twice.
            await PublishOrFailAsync(existing, submission);
        }
        return new SubmitOutcome(SubmitResult.Replayed, existing);
    }

    /// <summary>
    /// After a failed write: gives the quota back unless the write landed after all (a timeout can hide a success).
    /// A slot whose return fails too is left to <see cref="StaleSlots"/>.
    /// </summary>
    private async Task ReturnUnwrittenAsync(QuotaTicket ticket, string id)
    {
        try
        {
            if (await tasks.GetAsync(id, CancellationToken.None) is null)
            {
                await quotas.ReturnAsync(ticket, keptSlot: null);
            }
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning(ex, "The quota taken for task {TaskId}, whose write failed, could not be given back", id);
        }
    }

    private async Task<bool> PublishOrFailAsync(TaskRecord record, TaskSubmission submission)
    {
        try
        {
            // Not the caller's token: a task that is written must be published or failed, even if the caller left, and
            // within a budget that ends before the function's own timeout would (the SNS client alone may retry for 40 s).
            using var budget = new CancellationTokenSource(settings.PublishBudget);
            await publisher.PublishAsync(record, submission.Parameters, submission.Context, budget.Token);
            await MarkPublishedAsync(record.Id);
            logger.LogInformation("Queued task {TaskId} for runtime {Runtime} ({TaskType})", record.Id, record.Runtime, record.TaskType);
            FunctionsMetrics.TaskSubmitted(record.Runtime, TaskStatuses.Queued);
            return true;
        }
        catch (Exception ex) when (ex is SnsException or AmazonServiceException or HttpRequestException or OperationCanceledException)
        {
            logger.LogError(ex, "Publishing task {TaskId} failed; marking it failed", record.Id);
            var error = new TaskError(PublishFailedCode, $"The task could not be queued: {ex.Message}");
            await tasks.CompleteAsync(record.Id, TaskStatuses.Failed, [], error, null, time.GetUtcNow(), CancellationToken.None);
            // No result is published for it (SNS just refused), so its slot is released here.
            await quotas.ReleaseAsync(record with { Status = TaskStatuses.Failed }, CancellationToken.None);
            FunctionsMetrics.TaskSubmitted(record.Runtime, TaskStatuses.Failed);
            return false;
        }
    }

    /// <summary>Best effort: a mark left behind only makes the sweep publish the task once more, which is harmless.</summary>
    private async Task MarkPublishedAsync(string id)
    {
        try
        {
            await unpublished.MarkPublishedAsync(id, CancellationToken.None);
        }
        catch (AmazonServiceException ex)
        {
            logger.LogWarning(ex, "Task {TaskId} was published but its publish-pending mark stays; the sweep will publish it again", id);
        }
    }
}
