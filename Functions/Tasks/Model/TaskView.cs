using System.Text.Json;
using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>A task as the API shows it.</summary>
public sealed record TaskView
{
    [JsonPropertyName("id")] public required string Id { get; init; }

    [JsonPropertyName("status")] public required string Status { get; init; }

    [JsonPropertyName("runtime")] public required string Runtime { get; init; }

    [JsonPropertyName("task_type")] public required string TaskType { get; init; }

    [JsonPropertyName("created_at")] public required DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; init; }

    [JsonPropertyName("finished_at")] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Time from submit to start.</summary>
    [JsonPropertyName("queue_ms")] public long? QueueMs { get; init; }

    /// <summary>Time from start to finish.</summary>
    [JsonPropertyName("run_ms")] public long? RunMs { get; init; }

    [JsonPropertyName("progress")] public TaskProgressView? Progress { get; init; }

    [JsonPropertyName("outputs")] public required IReadOnlyList<TaskOutputView> Outputs { get; init; }

    [JsonPropertyName("error")] public TaskErrorView? Error { get; init; }

    /// <summary>The text-encoder tokens the task used, where its runtime reports them (the onnx runtime does).</summary>
    [JsonPropertyName("prompt_tokens")] public PromptTokensView? PromptTokens { get; init; }

    /// <summary>Where the images go: <c>s3://{bucket}/{prefix}/{id}</c>.</summary>
    [JsonPropertyName("output_location")] public required string OutputLocation { get; init; }

    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }

    [JsonPropertyName("webhook_events")] public IReadOnlyList<string>? WebhookEvents { get; init; }

    /// <summary>The generation parameters as accepted, defaults applied (<c>init_images</c> left out; <c>seed</c> -1 when random: see each output's seed).</summary>
    [JsonPropertyName("parameters")] public JsonElement? Parameters { get; init; }

    /// <summary>Parts of the request too large to show (over 16 KiB each, such as a large workflow): named here, kept only with the task's message.</summary>
    [JsonPropertyName("claim_checked")] public IReadOnlyList<string>? ClaimChecked { get; init; }

    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }

    /// <summary>The task's webhooks attempted so far.</summary>
    [JsonPropertyName("webhooks")] public IReadOnlyList<WebhookDeliveryView>? Webhooks { get; init; }

    /// <summary>low, normal or high.</summary>
    [JsonPropertyName("priority")] public required string Priority { get; init; }

    /// <summary>The client's deadline: not started by then, the task expires; still running then, it is canceled (error code <c>deadline</c>).</summary>
    [JsonPropertyName("deadline")] public DateTimeOffset? Deadline { get; init; }

    /// <summary>The latest start: the deadline, or without one the runtime's queue TTL from submission.</summary>
    [JsonPropertyName("start_by")] public DateTimeOffset? StartBy { get; init; }

    /// <summary>The failed, canceled or expired task this one retries.</summary>
    [JsonPropertyName("retry_of")] public string? RetryOf { get; init; }

    /// <summary>The latest task that retries this one.</summary>
    [JsonPropertyName("retried_by")] public string? RetriedBy { get; init; }

    /// <summary>When the owner deleted the task's outputs (<c>DELETE /v1/tasks/{id}/outputs</c>); <c>outputs</c> is empty from then on.</summary>
    [JsonPropertyName("outputs_deleted_at")] public DateTimeOffset? OutputsDeletedAt { get; init; }

    /// <summary>When S3 deletes the outputs (their retention class from the finish, rounded up to midnight UTC); set for a task with expires_after and outputs.</summary>
    [JsonPropertyName("outputs_expire_at")] public DateTimeOffset? OutputsExpireAt { get; init; }

    /// <summary>What the task used and its estimated cost, once it has ended.</summary>
    [JsonPropertyName("usage")] public TaskUsageView? Usage { get; init; }
}
