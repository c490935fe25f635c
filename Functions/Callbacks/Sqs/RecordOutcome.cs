namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>
/// What to do with one SQS record: delete it (done), or keep it, reported as a batch item failure, to be received
/// again after its visibility timeout, or after <see cref="RetryAfter"/> when set (a webhook retry's backoff).
/// </summary>
public sealed record RecordOutcome(bool Done, TimeSpan? RetryAfter)
{
    public static readonly RecordOutcome Completed = new(true, null);

    public static readonly RecordOutcome Retry = new(false, null);

    public static RecordOutcome RetryIn(TimeSpan delay) => new(false, delay);
}
