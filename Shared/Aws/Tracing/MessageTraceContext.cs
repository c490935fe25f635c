using System.Diagnostics;

namespace SdServerless.Aws.Tracing;

/// <summary>
/// Trace context across SNS and SQS: a publisher sends <c>traceparent</c> as a message attribute and the X-Ray
/// header on the Publish request (SNS hands it to SQS as the <c>AWSTraceHeader</c> system attribute); a consumer
/// takes <c>traceparent</c> first, then <c>AWSTraceHeader</c>.
/// </summary>
public static class MessageTraceContext
{
    /// <summary>The W3C <c>traceparent</c> value of <paramref name="activity"/>.</summary>
    public static string TraceParent(Activity activity) =>
        $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{(activity.Recorded ? "01" : "00")}";

    public static bool TryParseTraceParent(string? traceParent, out ActivityContext context) =>
        ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out context);

    /// <summary>The parent for a consumer's span: from <c>traceparent</c>, else from the X-Ray header.</summary>
    public static ActivityContext? Extract(string? traceParent, string? awsTraceHeader)
    {
        if (TryParseTraceParent(traceParent, out var w3c))
        {
            return w3c;
        }
        return XRayTraceHeader.TryParse(awsTraceHeader, out var xray) ? xray : null;
    }
}
