namespace SdServerless.Functions.Tasks.Submission;

/// <summary>What <see cref="TaskSubmitter"/> needs from configuration, resolved once.</summary>
public sealed record TaskSubmitterSettings(string OutputBucket, TimeSpan Retention, TimeSpan IdempotencyWindow);
