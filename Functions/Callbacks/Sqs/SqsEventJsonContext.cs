using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>Source-generated JSON for SQS events and batch answers.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class SqsEventJsonContext : JsonSerializerContext;
