using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// A submission in one fixed JSON form, defaults applied: what idempotency compares (by hash) and what the table
/// keeps as the task's request (without init images, which can be far larger than an item may be).
/// </summary>
public sealed record CanonicalRequest(
    [property: JsonPropertyName("id")] string? TaskId,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("task_type")] string TaskType,
    [property: JsonPropertyName("parameters")] GenerationParameters Parameters,
    [property: JsonPropertyName("output_prefix")] string OutputPrefix,
    [property: JsonPropertyName("callback_url")] string? CallbackUrl,
    [property: JsonPropertyName("webhook_events")] IReadOnlyList<string> WebhookEvents,
    [property: JsonPropertyName("metadata")] JsonElement? Metadata,
    [property: JsonPropertyName("context")] JsonElement? Context,
    [property: JsonPropertyName("retry_of")] string? RetryOf = null,
    [property: JsonPropertyName("claim_checked")] IReadOnlyList<string>? ClaimChecked = null,
    [property: JsonPropertyName("priority")] string? Priority = null,
    [property: JsonPropertyName("expires_after")] int? ExpiresAfter = null)
{
    /// <remarks>
    /// A normal priority is left out, so requests from before priorities hash as they did. The deadline is not part of
    /// the request: <c>Cancel-After</c> is relative to the call, so a replay under the same <c>Idempotency-Key</c>
    /// answers with the first call's task and its deadline. <c>expires_after</c> is, as asked (not its class): the same
    /// key with another retention is another request; left out when not asked, so older requests hash as they did.
    /// </remarks>
    public static CanonicalRequest From(TaskSubmission submission) => new(
        submission.TaskId, submission.Runtime, submission.TaskType, submission.Parameters, submission.OutputPrefix,
        submission.CallbackUrl, submission.WebhookEvents, submission.Metadata, submission.Context, submission.RetryOf,
        Priority: submission.Priority == TaskPriorities.Normal ? null : submission.Priority,
        ExpiresAfter: submission.Retention?.ExpiresAfterSeconds);

    /// <summary>The request a task's item keeps (<see cref="ToStoredJson"/>), read back; its init images are not in it.</summary>
    public static CanonicalRequest FromStoredJson(string json) =>
        JsonSerializer.Deserialize(json, CanonicalRequestJsonContext.Default.CanonicalRequest)
        ?? throw new InvalidDataException("A task's stored request is empty.");

    /// <summary>SHA-256 of the canonical JSON, lowercase hex.</summary>
    public string Hash() =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this, CanonicalRequestJsonContext.Default.CanonicalRequest)));

    /// <summary>
    /// The JSON the table keeps: everything but the init images and the parts too large for an item, which are named in
    /// <see cref="ClaimChecked"/> and kept only in the task's claim check (docs/decisions/0340-claim-check-every-large-part.md).
    /// </summary>
    public string ToStoredJson()
    {
        var large = RequestParts.Large(Parameters);
        return JsonSerializer.Serialize(
            this with { Parameters = RequestParts.Without(Parameters, large), ClaimChecked = large.Count > 0 ? large : null },
            CanonicalRequestJsonContext.Default.CanonicalRequest);
    }
}
