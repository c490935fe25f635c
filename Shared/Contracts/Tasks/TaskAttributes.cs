namespace SdServerless.Contracts.Tasks;

/// <summary>
/// Attribute names of a task item in the tasks table (key <c>pk</c> = task id; index <c>by-owner</c> on
/// <c>owner</c> + <c>sk</c> lists a caller's tasks newest first). Both the API and the worker write these items.
/// </summary>
public static class TaskAttributes
{
    public const string Id = "pk";
    public const string Owner = "owner";
    /// <summary>Sort key in the by-owner index: the created time (ISO 8601, UTC) then the id, so newer sorts later.</summary>
    public const string SortKey = "sk";
    public const string Status = "status";
    public const string Runtime = "runtime";
    public const string TaskType = "task_type";
    /// <summary>The submitted request body (JSON) as the API accepted it.</summary>
    public const string Request = "request";
    /// <summary>SHA-256 of the canonical request, for idempotency conflicts.</summary>
    public const string RequestHash = "request_hash";
    public const string OutputBucket = "output_bucket";
    public const string OutputPrefix = "output_prefix";
    public const string CreatedAt = "created_at";
    public const string StartedAt = "started_at";
    public const string FinishedAt = "finished_at";
    public const string ProgressStep = "progress_step";
    public const string ProgressSteps = "progress_steps";
    /// <summary>JSON list of <see cref="Messages.TaskOutput"/>.</summary>
    public const string Outputs = "outputs";
    public const string ErrorCode = "error_code";
    public const string ErrorMessage = "error_message";
    /// <summary>JSON <see cref="Messages.PromptTokenCounts"/>, where the runtime reported them.</summary>
    public const string PromptTokens = "prompt_tokens";
    public const string CallbackUrl = "callback_url";
    /// <summary>String set of requested webhook events (<c>start</c>, <c>progress</c>, <c>completed</c>).</summary>
    public const string WebhookEvents = "webhook_events";
    /// <summary>Client metadata, JSON, echoed back.</summary>
    public const string Metadata = "metadata";
    /// <summary>The guidance's <c>context</c>, JSON, carried to the result.</summary>
    public const string Context = "context";
    /// <summary>Epoch seconds after which DynamoDB TTL deletes the item.</summary>
    public const string ExpiresAt = "expires_at";
    /// <summary>Which worker holds the task while running, for diagnosis.</summary>
    public const string Worker = "worker";

    /// <summary>Times a worker started or took over the task (a number).</summary>
    public const string Attempts = "attempts";

    /// <summary>Of those, the attempts a worker handed back itself (shutdown, its own fault): they never count against the task.</summary>
    public const string Releases = "releases";
    /// <summary>When the worker (or the dead-letter handler) published the task's result, so it is published once.</summary>
    public const string ResultPublishedAt = "result_published_at";
    /// <summary>
    /// Set by the API when it writes the task (to the task's <see cref="SortKey"/>) and removed once its message is
    /// published: the sparse <c>publish-pending</c> index holds only tasks whose message may never have been sent.
    /// </summary>
    public const string PublishPending = "publish_pending";
    /// <summary>The failed or canceled task this one retries (its id).</summary>
    public const string RetryOf = "retry_of";
    /// <summary>The latest task that retries this one (its id); the only attribute a retry writes on a finished task.</summary>
    public const string RetriedBy = "retried_by";
    /// <summary>The client's deadline (ISO 8601, UTC): not started by then, the task expires; still running then, it is canceled.</summary>
    public const string Deadline = "deadline";
    /// <summary>The latest start (ISO 8601, UTC): the deadline, or without one the submit time plus the runtime's queue TTL.</summary>
    public const string StartBy = "start_by";
    /// <summary>
    /// The latest start then the id (<c>start_by#id</c>), kept only while the task is queued: the sparse
    /// <c>queued-start-by</c> index holds the queued tasks that can expire, for the sweep that expires those no worker
    /// received in time (docs/decisions/0338).
    /// </summary>
    public const string QueuedStartBy = "queued_start_by";
    /// <summary><c>low</c>, <c>normal</c> or <c>high</c> (<see cref="TaskPriorities"/>); absent on items written before priorities, read as normal.</summary>
    public const string Priority = "priority";
    /// <summary>When the owner deleted the task's outputs (<c>DELETE /v1/tasks/{id}/outputs</c>).</summary>
    public const string OutputsDeletedAt = "outputs_deleted_at";
    /// <summary>The output retention class in days (<c>expires_after</c> rounded up); absent for the bucket's default.</summary>
    public const string RetentionDays = "retention_days";
    /// <summary>The in-flight quota slot the task holds (<c>{acquired unix seconds}.{id}</c>), absent for a key without that limit.</summary>
    public const string QuotaSlot = "quota_slot";
    // Each webhook's delivery state has its own attributes, named in SdServerless.Aws.TaskStore.WebhookSlot.
}
