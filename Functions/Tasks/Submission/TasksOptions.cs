namespace SdServerless.Functions.Tasks.Submission;

/// <summary>The <c>Tasks</c> configuration section: how tasks are kept and sent.</summary>
public sealed class TasksOptions
{
    public const string SectionName = "Tasks";

    /// <summary>Days a task item lives before DynamoDB's TTL removes it.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>How long an <c>Idempotency-Key</c> keeps returning its task.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Messages larger than this go to S3 and SNS carries a pointer (SNS's own limit is 256 KiB).</summary>
    public int ClaimCheckThresholdBytes { get; set; } = 200 * 1024;

    /// <summary>Output prefix for tasks submitted on <c>/v1/tasks</c>.</summary>
    public string OutputPrefix { get; set; } = "outputs";

    /// <summary>
    /// The most one publish may take, retries included; past it the task is marked failed (<c>publish_failed</c>) and the
    /// caller gets 503, before the API function's 29 s timeout could end the request with the task still queued.
    /// </summary>
    public int PublishBudgetSeconds { get; set; } = 20;

    /// <summary>Where callers' inputs lie in the input bucket, one folder per caller (<c>inputs/&lt;owner-id-hash&gt;/</c>, <see cref="SdServerless.Contracts.Inputs.OwnerInputPrefix"/>); <c>s3://</c> init images must be in the caller's.</summary>
    public string InputPrefix { get; set; } = "inputs";

    /// <summary>Where claim-checked messages go in the output bucket (the template expires this prefix).</summary>
    public string PayloadPrefix { get; set; } = "payloads";
}
