using System.Globalization;

namespace SdServerless.Functions.Quotas;

/// <summary>429 with <c>Retry-After</c> and an RFC 9457 body naming the limit.</summary>
public static class QuotaProblems
{
    public static ProblemHttpResult TooManyRequests(HttpContext context, QuotaRefusal refusal)
    {
        context.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var what = refusal.Limit == QuotaGate.MaxInFlight ? "tasks queued or running" : "tasks submitted today (UTC)";
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Quota exceeded",
            detail: $"This API key has {refusal.Current} {what}; its {refusal.Limit} quota is {refusal.Value}. Try again in {refusal.RetryAfterSeconds} s.",
            extensions: new Dictionary<string, object?> { ["limit"] = refusal.Limit, ["limit_value"] = refusal.Value, ["current"] = refusal.Current });
    }
}
