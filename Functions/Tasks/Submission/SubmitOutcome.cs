using SdServerless.Aws.TaskStore;
using SdServerless.Functions.Quotas;

namespace SdServerless.Functions.Tasks.Submission;

public enum SubmitResult
{
    /// <summary>A new task was written and published.</summary>
    Created,
    /// <summary>The same request was made before (same idempotency key or task id): its task comes back.</summary>
    Replayed,
    /// <summary>The idempotency key or task id is taken by a different request.</summary>
    Conflict,
    /// <summary>The task was written but could not be published after retries; it is marked failed.</summary>
    PublishFailed,
    /// <summary>The key is over a quota (<see cref="SubmitOutcome.Refusal"/>); nothing was written.</summary>
    OverQuota,
}

public sealed record SubmitOutcome(SubmitResult Result, TaskRecord? Task, string? Problem = null, QuotaRefusal? Refusal = null);
