namespace SdServerless.Aws.TaskStore;

/// <summary>How one of a task's webhooks is going: attempts so far, the last error, and how it ended if it has.</summary>
public sealed record WebhookDeliveryState(string Event, int Attempts, string? LastError, DateTimeOffset? DeliveredAt, DateTimeOffset? GaveUpAt);
