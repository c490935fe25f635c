using System.Text.Json.Serialization;

namespace SdServerless.Functions.Events.Sqs;

public sealed record SqsBatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);
