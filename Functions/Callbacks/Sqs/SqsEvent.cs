using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>The SQS event Lambda sends (and the Lambda Web Adapter forwards as the body of <c>POST /events</c>).</summary>
public sealed record SqsEvent([property: JsonPropertyName("Records")] IReadOnlyList<SqsRecord>? Records);
