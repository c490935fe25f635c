using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Sqs;

public sealed record SqsBatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);
