using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskStore;

/// <summary>
/// Where one webhook's delivery state lives on the task item: a task has at most two webhooks, its start and its end,
/// each with its own attributes (names in <see cref="TaskAttributes"/>).
/// </summary>
public sealed record WebhookSlot(
    string Name, string Event, string Claim, string LeaseUntil, string Attempts, string LastError, string DeliveredAt, string GaveUpAt)
{
    /// <summary>The task's end: <c>task.succeeded</c>, <c>task.failed</c> or <c>task.canceled</c>.</summary>
    public static readonly WebhookSlot Completed = new("completed", TaskAttributes.WebhookEvent, TaskAttributes.WebhookClaim,
        TaskAttributes.WebhookLeaseUntil, TaskAttributes.WebhookAttempts, TaskAttributes.WebhookLastError, TaskAttributes.WebhookDeliveredAt,
        TaskAttributes.WebhookGaveUpAt);

    /// <summary>The task's start: <c>task.started</c>.</summary>
    public static readonly WebhookSlot Started = new("started", TaskAttributes.WebhookStartedEvent, TaskAttributes.WebhookStartedClaim,
        TaskAttributes.WebhookStartedLeaseUntil, TaskAttributes.WebhookStartedAttempts, TaskAttributes.WebhookStartedLastError,
        TaskAttributes.WebhookStartedDeliveredAt, TaskAttributes.WebhookStartedGaveUpAt);

    public static readonly IReadOnlyList<WebhookSlot> All = [Started, Completed];
}
