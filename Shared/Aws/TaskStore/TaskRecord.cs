using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskStore;

/// <summary>A typed view of one task item in the tasks table (attribute names in <see cref="TaskAttributes"/>).</summary>
public sealed record TaskRecord
{
    public required string Id { get; init; }

    /// <summary>Who submitted it: an opaque id derived from the caller's API key, never the key itself.</summary>
    public required string Owner { get; init; }

    public required string Status { get; init; }

    public required string Runtime { get; init; }

    public required string TaskType { get; init; }

    /// <summary>The accepted request, normalized, as JSON; <c>init_images</c> are left out (they travel in the message or its claim check).</summary>
    public required string RequestJson { get; init; }

    /// <summary>SHA-256 (hex) of the canonical request, including init images: equal hashes mean the same request.</summary>
    public required string RequestHash { get; init; }

    public required TaskOutputLocation Output { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public int? ProgressStep { get; init; }

    public int? ProgressSteps { get; init; }

    public IReadOnlyList<TaskOutput> Outputs { get; init; } = [];

    public TaskError? Error { get; init; }

    /// <summary>The text-encoder tokens the task used, where its runtime reports them.</summary>
    public PromptTokenCounts? PromptTokens { get; init; }

    public string? CallbackUrl { get; init; }

    public IReadOnlyList<string> WebhookEvents { get; init; } = [];

    /// <summary>The client's <c>metadata</c> object as JSON, echoed back.</summary>
    public string? MetadataJson { get; init; }

    /// <summary>The AWS guidance's <c>context</c> as JSON, carried to the result.</summary>
    public string? ContextJson { get; init; }

    /// <summary>Epoch seconds after which DynamoDB's TTL deletes the item.</summary>
    public required long ExpiresAt { get; init; }

    public string? Worker { get; init; }

    /// <summary>Times a worker started or took over the task.</summary>
    public int Attempts { get; init; }

    /// <summary>Attempts a worker handed back itself (shutdown, Spot notice, its own fault).</summary>
    public int Releases { get; init; }

    /// <summary>Attempts that ended with their worker gone without a word (killed, crashed, out of memory).</summary>
    public int CrashedAttempts => Math.Max(0, Attempts - Releases);

    /// <summary>The task's webhooks that have been attempted, start first.</summary>
    public IReadOnlyList<WebhookDeliveryState> Webhooks { get; init; } = [];

    /// <summary>True from the API's write until its message is known to be published (docs/decisions/0341).</summary>
    public bool PublishPending { get; init; }

    /// <summary>The failed, canceled or expired task this one retries.</summary>
    public string? RetryOf { get; init; }

    /// <summary>The latest task that retries this one.</summary>
    public string? RetriedBy { get; init; }

    /// <summary>The client's deadline: not started by then, the task expires; still running then, it is canceled.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The latest start: <see cref="Deadline"/>, or without one the submit time plus the runtime's queue TTL.</summary>
    public DateTimeOffset? StartBy { get; init; }

    /// <summary>One of <see cref="TaskPriorities"/>.</summary>
    public string Priority { get; init; } = TaskPriorities.Normal;

    /// <summary>The output retention class in days (<c>expires_after</c> rounded up), or null for the bucket's default.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>When the owner deleted the task's outputs; they are no longer shown.</summary>
    public DateTimeOffset? OutputsDeletedAt { get; init; }

    /// <summary>The key's in-flight quota slot this task holds until it ends (docs/decisions/0349); null for a key without that limit.</summary>
    public string? QuotaSlot { get; init; }

    /// <summary>The by-owner index's sort key: created time then id, so a newer task sorts later.</summary>
    public string SortKey => TaskSortKey.For(CreatedAt, Id);
}
