using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>
/// The answer to an SQS event with <c>ReportBatchItemFailures</c>: the records to keep (they reappear when their
/// visibility timeout ends); every other record is deleted.
/// </summary>
public sealed record SqsBatchResponse([property: JsonPropertyName("batchItemFailures")] IReadOnlyList<SqsBatchItemFailure> BatchItemFailures);
