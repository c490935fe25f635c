namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>The Standard Webhooks request headers.</summary>
public static class WebhookHeaders
{
    public const string Id = "webhook-id";
    public const string Timestamp = "webhook-timestamp";
    public const string Signature = "webhook-signature";
}
