namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>When to try again after a failed attempt: the n-th wait after the n-th attempt, and no attempt after the last wait's.</summary>
public sealed class WebhookRetrySchedule(IReadOnlyList<TimeSpan> delays)
{
    /// <summary>The longest SQS visibility timeout: a retry can be put off no longer in one step.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(12);

    public int MaxAttempts => delays.Count + 1;

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based), or null when it was the last.</summary>
    public TimeSpan? DelayAfter(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (attempt > delays.Count)
        {
            return null;
        }
        var delay = delays[attempt - 1];
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
    }
}
