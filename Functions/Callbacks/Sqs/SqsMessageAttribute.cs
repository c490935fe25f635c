using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>A message attribute as Lambda's SQS event spells it.</summary>
public sealed record SqsMessageAttribute
{
    [JsonPropertyName("stringValue")] public string? StringValue { get; init; }

    [JsonPropertyName("binaryValue")] public string? BinaryValue { get; init; }

    [JsonPropertyName("stringListValues")] public IReadOnlyList<string> StringListValues { get; init; } = [];

    [JsonPropertyName("binaryListValues")] public IReadOnlyList<string> BinaryListValues { get; init; } = [];

    [JsonPropertyName("dataType")] public string DataType { get; init; } = "String";
}
