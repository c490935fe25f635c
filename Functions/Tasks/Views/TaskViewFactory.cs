using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Usage;

namespace SdServerless.Functions.Tasks.Views;

/// <summary>Shows a <see cref="TaskRecord"/> to its owner: timings worked out, outputs with presigned download URLs.</summary>
public sealed class TaskViewFactory(IAmazonS3 s3, Protocol s3Protocol, TimeSpan presignedUrlExpiry, TimeProvider time, UsageCalculator? usage = null)
{
    public TaskView Create(TaskRecord task)
    {
        var (parameters, claimChecked) = StoredRequest(task.RequestJson);
        return new()
        {
            Id = task.Id,
            Status = task.Status,
            Runtime = task.Runtime,
            TaskType = task.TaskType,
            CreatedAt = task.CreatedAt,
            StartedAt = task.StartedAt,
            FinishedAt = task.FinishedAt,
            QueueMs = task.StartedAt is { } started ? Milliseconds(started - task.CreatedAt) : null,
            RunMs = task is { StartedAt: { } begun, FinishedAt: { } finished } ? Milliseconds(finished - begun) : null,
            Progress = task is { ProgressStep: { } step, ProgressSteps: { } steps } ? new TaskProgressView(step, steps) : null,
            Outputs = task.OutputsDeletedAt is null ? [.. task.Outputs.Select(output => new TaskOutputView(Presign(output.S3Uri), output.S3Uri, output.Seed))] : [],
            OutputsDeletedAt = task.OutputsDeletedAt,
            OutputsExpireAt = task is { RetentionDays: { } days, FinishedAt: { } ended, OutputsDeletedAt: null, Outputs.Count: > 0 }
                ? OutputRetention.ExpiresAt(ended, days) : null,
            Error = task.Error is { } error ? new TaskErrorView(error.Code, error.Message) : null,
            PromptTokens = task.PromptTokens is { } tokens ? new PromptTokensView(tokens.Prompt, tokens.NegativePrompt, tokens.Context) : null,
            OutputLocation = task.Output.FolderUri(task.Id),
            CallbackUrl = task.CallbackUrl,
            WebhookEvents = task.WebhookEvents.Count > 0 ? task.WebhookEvents : null,
            Parameters = parameters,
            ClaimChecked = claimChecked,
            Metadata = task.MetadataJson is { } metadata ? JsonDocument.Parse(metadata).RootElement.Clone() : null,
            Webhooks = task.Webhooks.Count > 0 ? [.. task.Webhooks.Select(Webhook)] : null,
            RetryOf = task.RetryOf,
            RetriedBy = task.RetriedBy,
            Usage = usage?.For(task),
            Priority = task.Priority,
            Deadline = task.Deadline,
            StartBy = task.StartBy,
        };
    }

    /// <summary>
    /// The generation parameters of the stored request (init images and large parts left out), or null when it holds
    /// none, and the names of the parts it left in the claim check, or null when it left none.
    /// </summary>
    private static (JsonElement? Parameters, IReadOnlyList<string>? ClaimChecked) StoredRequest(string requestJson)
    {
        using var request = JsonDocument.Parse(requestJson);
        var root = request.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }
        JsonElement? parameters = root.TryGetProperty("parameters", out var stored) ? stored.Clone() : null;
        IReadOnlyList<string>? parts = root.TryGetProperty("claim_checked", out var names) && names.ValueKind == JsonValueKind.Array
            ? [.. names.EnumerateArray().Select(part => part.GetString() ?? "")]
            : null;
        return (parameters, parts);
    }

    private static WebhookDeliveryView Webhook(WebhookDeliveryState state) => new(
        state.Event,
        state.DeliveredAt is not null ? "delivered" : state.GaveUpAt is not null ? "failed" : "retrying",
        state.Attempts,
        state.LastError,
        state.DeliveredAt);

    /// <summary>A presigned GET URL for an <c>s3://bucket/key</c> URI.</summary>
    public string Presign(string s3Uri)
    {
        var (bucket, key) = OutputUri.Parse(s3Uri);
        return s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Protocol = s3Protocol,
            Expires = time.GetUtcNow().UtcDateTime + presignedUrlExpiry,
        });
    }

    private static long Milliseconds(TimeSpan span) => (long)Math.Max(0, span.TotalMilliseconds);
}
