using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry.Context.Propagation;
using SdServerless.Aws.Tracing;

namespace SdServerless.ServiceDefaults.Telemetry;

/// <summary>
/// On Lambda behind the Lambda Web Adapter, the invocation's X-Ray trace arrives as <c>xray_trace_id</c> inside the
/// <c>x-amzn-lambda-context</c> header; this makes it the parent of the request's span, so the function's spans join
/// the trace X-Ray already has for API Gateway and Lambda. Without that header (Kestrel alone) it changes nothing.
/// </summary>
public sealed class LambdaTraceContextPropagator : TextMapPropagator
{
    public const string HeaderName = "x-amzn-lambda-context";

    public override ISet<string> Fields { get; } = new HashSet<string> { HeaderName };

    public override PropagationContext Extract<T>(PropagationContext context, T carrier, Func<T, string, IEnumerable<string>?> getter)
    {
        var header = getter(carrier, HeaderName)?.FirstOrDefault();
        return TraceOf(header) is { } parent ? new PropagationContext(parent, context.Baggage) : context;
    }

    /// <summary>Nothing to write: outgoing calls carry <c>traceparent</c> (and SNS publishes the X-Ray header itself).</summary>
    public override void Inject<T>(PropagationContext context, T carrier, Action<T, string, string> setter)
    {
    }

    public static ActivityContext? TraceOf(string? lambdaContextHeader)
    {
        if (string.IsNullOrEmpty(lambdaContextHeader))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(lambdaContextHeader);
            return document.RootElement.TryGetProperty("xray_trace_id", out var traceId)
                   && traceId.ValueKind == JsonValueKind.String
                   && XRayTraceHeader.TryParse(traceId.GetString(), out var parent)
                ? parent
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
