using System.Diagnostics;
using SdServerless.Aws.Tracing;
using SdServerless.Contracts.Messages;

namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>The trace a record belongs to: its <c>traceparent</c> message attribute, else its <c>AWSTraceHeader</c> system attribute.</summary>
public static class RecordTrace
{
    public static ActivityContext? ParentOf(SqsRecord record) =>
        MessageTraceContext.Extract(record.StringAttribute(MessageAttributeNames.TraceParent), record.SystemAttribute(MessageAttributeNames.AwsTraceHeader));
}
