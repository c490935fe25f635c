using Amazon.SQS.Model;
using SdServerless.Functions.Callbacks.Sqs;

namespace SdServerless.Functions.Callbacks.Local;

/// <summary>Turns a received SQS message into the record Lambda would put in its event.</summary>
public static class SqsRecordMapper
{
    public static SqsRecord ToRecord(Message message, LocalEventQueue queue, string region) => new()
    {
        MessageId = message.MessageId,
        ReceiptHandle = message.ReceiptHandle,
        Body = message.Body ?? "",
        Attributes = message.Attributes is { } attributes ? new Dictionary<string, string>(attributes) : [],
        MessageAttributes = (message.MessageAttributes ?? []).ToDictionary(pair => pair.Key, pair => new SqsMessageAttribute
        {
            StringValue = pair.Value.StringValue,
            BinaryValue = pair.Value.BinaryValue is { } binary ? Convert.ToBase64String(binary.ToArray()) : null,
            DataType = pair.Value.DataType ?? "String",
        }),
        Md5OfBody = message.MD5OfBody,
        EventSource = "aws:sqs",
        EventSourceArn = queue.Arn,
        AwsRegion = region,
    };
}
