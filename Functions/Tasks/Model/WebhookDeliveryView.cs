using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>How one of the task's webhooks is going: <c>delivered</c>, <c>retrying</c> or <c>failed</c> (given up), with attempts and the last error.</summary>
public sealed record WebhookDeliveryView(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("delivered_at")] DateTimeOffset? DeliveredAt);
