namespace SdServerless.Contracts.Messages;

/// <summary>SNS/SQS message attributes that routing and tracing rely on.</summary>
public static class MessageAttributeNames
{
    /// <summary>The runtime a task is for; each runtime queue's subscription filters on it.</summary>
    public const string Runtime = "runtime";
    public const string TaskType = "task_type";
    /// <summary><c>low</c>, <c>normal</c> or <c>high</c>: each runtime's queue per priority filters on it with the runtime.</summary>
    public const string Priority = "priority";
    /// <summary>On the results topic: <c>task.started</c> marks a <see cref="TaskStarted"/> notification, <c>task.progress</c> a <see cref="TaskProgressed"/> one; results carry none.</summary>
    public const string Event = "event";
    /// <summary>W3C trace context of the publisher.</summary>
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    /// <summary>The SQS system attribute that carries the X-Ray trace header set on the SNS Publish request.</summary>
    public const string AwsTraceHeader = "AWSTraceHeader";
}
