using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SdServerless.Functions.Hosting;

namespace SdServerless.Functions.RateLimits;

/// <summary>
/// The local host's stand-in for API Gateway's usage-plan throttle: a token bucket per <c>x-api-key</c>, refusing with
/// 429, <c>Retry-After</c> and problem+json. Behind API Gateway (<see cref="ApiOptions.TrustApiGatewayKeys"/>) the
/// gateway throttles and this adds nothing (docs/decisions/0348).
/// </summary>
public static class RateLimitExtensions
{
    public static IHostApplicationBuilder AddLocalRateLimit(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new();
        var behindGateway = builder.Configuration.GetValue<bool>($"{ApiOptions.SectionName}:{nameof(ApiOptions.TrustApiGatewayKeys)}");
        if (!options.Enabled || behindGateway)
        {
            return builder;
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Headers[ApiKeyAuthenticator.HeaderName].ToString() is { Length: > 0 } key
                    ? RateLimitPartition.GetTokenBucketLimiter(key, _ => BucketFor(options))
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, cancellationToken) => RefuseAsync(rejected, options, cancellationToken);
        });
        return builder;
    }

    /// <summary>Adds the limiter to the pipeline where <see cref="AddLocalRateLimit"/> configured one.</summary>
    public static WebApplication UseLocalRateLimit(this WebApplication app)
    {
        if (app.Services.GetService<RateLimitOptions>() is not null)
        {
            app.UseRateLimiter();
        }
        return app;
    }

    public static TokenBucketRateLimiterOptions BucketFor(RateLimitOptions options) => new()
    {
        TokenLimit = Math.Max(options.Burst, options.PerSecond),
        TokensPerPeriod = options.PerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, RateLimitOptions options, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Rate limit exceeded",
            detail: $"This API key may send {options.PerSecond} requests per second, {Math.Max(options.Burst, options.PerSecond)} at once. Try again in {retryAfter} s.",
            extensions: new Dictionary<string, object?> { ["limit"] = "rate", ["rate_per_second"] = options.PerSecond, ["burst"] = Math.Max(options.Burst, options.PerSecond) })
            .ExecuteAsync(context);
    }
}
