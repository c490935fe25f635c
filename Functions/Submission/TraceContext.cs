using System.Diagnostics;

namespace SdServerless.Functions.Submission;

/// <summary>Trace context of an activity in the two forms a message carries: W3C <c>traceparent</c> and the X-Ray trace header.</summary>
public static class TraceContext
{
    /// <summary><c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1}</c>: X-Ray accepts W3C trace ids written this way.</summary>
    public static string? XRayHeader(Activity? activity)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return null;
        }
        var traceId = activity.TraceId.ToHexString();
        var sampled = activity.Recorded ? 1 : 0;
        return $"Root=1-{traceId[..8]}-{traceId[8..]};Parent={activity.SpanId.ToHexString()};Sampled={sampled}";
    }

    public static string? TraceParent(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;
}
