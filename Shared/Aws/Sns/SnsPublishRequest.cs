namespace SdServerless.Aws.Sns;

/// <summary>One SNS Publish call. <paramref name="TraceHeader"/> is sent as <c>X-Amzn-Trace-Id</c>, so SNS hands it to SQS as <c>AWSTraceHeader</c>.</summary>
public sealed record SnsPublishRequest(
    string TopicArn,
    string Message,
    IReadOnlyDictionary<string, SnsMessageAttribute> MessageAttributes,
    string? Subject = null,
    string? TraceHeader = null);
