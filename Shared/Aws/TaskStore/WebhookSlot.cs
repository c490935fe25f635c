namespace SdServerless.Aws.TaskStore;

/// <summary>
/// Where one webhook's delivery state lives on the task item: a task has at most two webhooks, its start and its end,
/// each with its own attributes. Only the callback writes them; the task's reads carry them as <see cref="WebhookDeliveryState"/>.
/// </summary>
/// <param name="Name">The slot's name in logs.</param>
/// <param name="Event">The event type being delivered, e.g. <c>task.succeeded</c>.</param>
/// <param name="Claim">The SQS message id that owns the delivery: duplicates of the message leave it alone.</param>
/// <param name="LeaseUntil">Epoch milliseconds until which an attempt is in flight; no other attempt starts before.</param>
/// <param name="Attempts">Attempts made to deliver the webhook.</param>
/// <param name="LastError">Why the latest attempt failed; removed when one succeeds.</param>
/// <param name="DeliveredAt">When an attempt succeeded.</param>
/// <param name="GaveUpAt">Set when delivery stopped without success (410 Gone, refused address, retries used up).</param>
public sealed record WebhookSlot(
    string Name, string Event, string Claim, string LeaseUntil, string Attempts, string LastError, string DeliveredAt, string GaveUpAt)
{
    /// <summary>The task's end: <c>task.succeeded</c>, <c>task.failed</c> or <c>task.canceled</c>.</summary>
    public static readonly WebhookSlot Completed = new("completed", Event: "webhook_event", Claim: "webhook_claim",
        LeaseUntil: "webhook_lease_until", Attempts: "webhook_attempts", LastError: "webhook_last_error",
        DeliveredAt: "webhook_delivered_at", GaveUpAt: "webhook_gave_up_at");

    /// <summary>The task's start: <c>task.started</c>.</summary>
    public static readonly WebhookSlot Started = new("started", Event: "webhook_started_event", Claim: "webhook_started_claim",
        LeaseUntil: "webhook_started_lease_until", Attempts: "webhook_started_attempts", LastError: "webhook_started_last_error",
        DeliveredAt: "webhook_started_delivered_at", GaveUpAt: "webhook_started_gave_up_at");

    public static readonly IReadOnlyList<WebhookSlot> All = [Started, Completed];
}
