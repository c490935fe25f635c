namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>How one delivery attempt ended: done (delivered, given up, or owned elsewhere), or to be tried again, after <see cref="RetryAfter"/> when set.</summary>
public sealed record WebhookOutcome(bool Done, TimeSpan? RetryAfter)
{
    public static readonly WebhookOutcome Finished = new(true, null);

    public static readonly WebhookOutcome Retry = new(false, null);

    public static WebhookOutcome RetryIn(TimeSpan delay) => new(false, delay);
}
