using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>One message of an SQS event, named as Lambda names its fields.</summary>
public sealed record SqsRecord
{
    [JsonPropertyName("messageId")] public required string MessageId { get; init; }

    [JsonPropertyName("receiptHandle")] public string ReceiptHandle { get; init; } = "";

    [JsonPropertyName("body")] public string Body { get; init; } = "";

    /// <summary>System attributes: <c>ApproximateReceiveCount</c>, <c>SentTimestamp</c>, <c>AWSTraceHeader</c>, ...</summary>
    [JsonPropertyName("attributes")] public Dictionary<string, string> Attributes { get; init; } = [];

    [JsonPropertyName("messageAttributes")] public Dictionary<string, SqsMessageAttribute> MessageAttributes { get; init; } = [];

    [JsonPropertyName("md5OfBody")] public string? Md5OfBody { get; init; }

    [JsonPropertyName("eventSource")] public string EventSource { get; init; } = "aws:sqs";

    [JsonPropertyName("eventSourceARN")] public string EventSourceArn { get; init; } = "";

    [JsonPropertyName("awsRegion")] public string? AwsRegion { get; init; }

    public string? StringAttribute(string name) =>
        MessageAttributes.TryGetValue(name, out var value) ? value.StringValue : null;

    public string? SystemAttribute(string name) =>
        Attributes.TryGetValue(name, out var value) ? value : null;
}
