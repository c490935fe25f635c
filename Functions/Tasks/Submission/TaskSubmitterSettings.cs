namespace SdServerless.Functions.Tasks.Submission;

/// <summary>What <see cref="TaskSubmitter"/> needs from configuration, resolved once.</summary>
public sealed record TaskSubmitterSettings(string OutputBucket, TimeSpan Retention, TimeSpan IdempotencyWindow)
{
    /// <summary>The most a publish (claim check and SNS, retries included) may take, well inside the API function's 29 s.</summary>
    public TimeSpan PublishBudget { get; init; } = TimeSpan.FromSeconds(20);
}
