using System.Text.Json;
using System.Text.Json.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Contracts.Messages;

/// <summary>
/// Published on the tasks topic with message attributes <c>runtime</c> and <c>task_type</c>; delivered raw to the
/// runtime's queue. When the full message would exceed the size limit, <see cref="PayloadS3Uri"/> names an S3 object
/// holding this same message in full and <see cref="Parameters"/> may omit <c>init_images</c> (claim check).
/// <see cref="StartBy"/> and <see cref="Deadline"/> travel in the message so a worker honours them without reading the
/// table first: not started by <see cref="StartBy"/>, the task expires; still running at <see cref="Deadline"/>, it is
/// canceled (docs/decisions/0335). <see cref="RetentionDays"/>, when set, is the output retention class: the worker tags
/// each image with it (<see cref="OutputRetention"/>, docs/decisions/0347).
/// </summary>
public sealed record GenerateImageRequested(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("task_type")] string TaskType,
    [property: JsonPropertyName("parameters")] GenerationParameters Parameters,
    [property: JsonPropertyName("output")] TaskOutputLocation Output,
    [property: JsonPropertyName("submitted_at")] DateTimeOffset SubmittedAt,
    [property: JsonPropertyName("context")] JsonElement? Context = null,
    [property: JsonPropertyName("payload_s3_uri")] string? PayloadS3Uri = null,
    [property: JsonPropertyName("start_by")] DateTimeOffset? StartBy = null,
    [property: JsonPropertyName("deadline")] DateTimeOffset? Deadline = null,
    [property: JsonPropertyName("retention_days")] int? RetentionDays = null);
