namespace SdServerless.Functions.Quotas;

/// <summary>
/// The <c>Quotas</c> configuration section: limits per API key, by the key's owner id (what <c>GET /v1/me</c>
/// answers: <c>key-&lt;hash&gt;</c>, <c>apigw-&lt;api key id&gt;</c>, <c>local-dev</c>), e.g.
/// <c>Quotas__Owners__key-0123…__MaxInFlight=4</c>; <see cref="Default"/> for keys not named.
/// </summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Quotas";

    public QuotaLimits Default { get; set; } = new();

    public Dictionary<string, QuotaLimits> Owners { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The <c>Retry-After</c> of an in-flight refusal: about how long a task takes to finish.</summary>
    public int InFlightRetryAfterSeconds { get; set; } = 10;

    /// <summary>Tasks created longer ago than this no longer count as in flight (the runtime queues keep a message at most this long).</summary>
    public TimeSpan InFlightWindow { get; set; } = TimeSpan.FromDays(1);

    public QuotaLimits For(string owner) => Owners.GetValueOrDefault(owner) ?? Default;
}
