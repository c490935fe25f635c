using System.Text.Json;
using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Messages;

/// <summary>
/// Published on the results topic when a task ends. The first fields are the AWS guidance's result notification
/// (<c>runtime, id, result, status, image_url, output_url, context</c>; status <c>completed</c> or <c>failed</c>);
/// the rest are ours.
/// </summary>
public sealed record ImageGenerated(
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("result")] bool Result,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("image_url")] IReadOnlyList<string> ImageUrl,
    [property: JsonPropertyName("output_url")] string OutputUrl,
    [property: JsonPropertyName("context")] JsonElement? Context,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("outputs")] IReadOnlyList<TaskOutput> Outputs,
    [property: JsonPropertyName("error")] TaskError? Error,
    [property: JsonPropertyName("queue_ms")] long? QueueMs,
    [property: JsonPropertyName("run_ms")] long? RunMs,
    [property: JsonPropertyName("finished_at")] DateTimeOffset FinishedAt,
    [property: JsonPropertyName("prompt_tokens")] PromptTokenCounts? PromptTokens = null)
{
    public const string StatusCompleted = "completed";
    public const string StatusFailed = "failed";
}
