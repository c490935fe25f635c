namespace SdServerless.Functions.RateLimits;

/// <summary>
/// <c>Api:RateLimit</c>: requests per second and burst per API key, as an API Gateway usage plan throttles them
/// (<c>ApiThrottleRateLimit</c>, <c>ApiThrottleBurstLimit</c> in <c>serverless.template</c>). Enforced by this app only
/// when it is not behind API Gateway; 0 (the default) turns it off (docs/decisions/0348).
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Api:RateLimit";

    /// <summary>Tokens added per second to each key's bucket; 0 disables the limit.</summary>
    public int PerSecond { get; set; }

    /// <summary>The bucket's size: requests a key may send at once; below <see cref="PerSecond"/> it is raised to it.</summary>
    public int Burst { get; set; }

    public bool Enabled => PerSecond > 0;
}
