using System.Diagnostics;

namespace SdServerless.Aws.Tracing;

/// <summary>
/// The X-Ray trace header, <c>Root=1-{8 hex epoch seconds}-{24 hex};Parent={16 hex};Sampled={0|1}</c>, converted to
/// and from W3C trace context. X-Ray accepts W3C trace ids: the 32 hex digits are the root's two parts joined.
/// </summary>
public static class XRayTraceHeader
{
    public const string HeaderName = "X-Amzn-Trace-Id";

    public static string Format(ActivityContext context)
    {
        var traceId = context.TraceId.ToHexString();
        var sampled = context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "1" : "0";
        return $"Root=1-{traceId[..8]}-{traceId[8..]};Parent={context.SpanId.ToHexString()};Sampled={sampled}";
    }

    /// <summary>Reads a header; false when it has no valid Root or Parent (a header with only a Root cannot be a parent).</summary>
    public static bool TryParse(string? header, out ActivityContext context)
    {
        context = default;
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }
        string? root = null, parent = null, sampled = null;
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }
            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Root": root = value; break;
                case "Parent": parent = value; break;
                case "Sampled": sampled = value; break;
            }
        }
        if (root is not { Length: 35 } || !root.StartsWith("1-", StringComparison.Ordinal) || root[10] != '-'
            || parent is not { Length: 16 } || !IsHex(parent))
        {
            return false;
        }
        var traceId = root[2..10] + root[11..];
        if (!IsHex(traceId) || traceId.All(c => c == '0') || parent.All(c => c == '0'))
        {
            return false;
        }
        context = new ActivityContext(
            ActivityTraceId.CreateFromString(traceId.ToLowerInvariant()),
            ActivitySpanId.CreateFromString(parent.ToLowerInvariant()),
            sampled == "0" ? ActivityTraceFlags.None : ActivityTraceFlags.Recorded,
            isRemote: true);
        return true;
    }

    private static bool IsHex(string value) => value.Length > 0 && value.All(char.IsAsciiHexDigit);
}
