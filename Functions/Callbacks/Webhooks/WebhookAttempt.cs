namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>How one delivery attempt went.</summary>
public enum WebhookAttemptResult
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Failed in a way another attempt may fix (timeout, 5xx, 4xx other than 410, a redirect, a refused connection).</summary>
    Failed,

    /// <summary>Failed for good: 410 Gone, or the URL leads to an address we do not call.</summary>
    Rejected,
}

/// <summary>An attempt's result and, unless delivered, why.</summary>
public sealed record WebhookAttempt(WebhookAttemptResult Result, string? Error)
{
    public static readonly WebhookAttempt Delivered = new(WebhookAttemptResult.Delivered, null);

    public static WebhookAttempt Failed(string error) => new(WebhookAttemptResult.Failed, error);

    public static WebhookAttempt Rejected(string error) => new(WebhookAttemptResult.Rejected, error);
}
