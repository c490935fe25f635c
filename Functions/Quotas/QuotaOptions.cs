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

    /// <summary>A slot taken longer ago than this is freed when the set is full, whatever its task's state: a task in flight that long is past its latest start and its execution limit, so only a lost end keeps it there.</summary>
    public TimeSpan InFlightWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A slot taken longer ago than this whose task does not exist is freed when the set is full: the submit that took
    /// it stopped before writing its task (the API's own timeout is 29 s).
    /// </summary>
    public TimeSpan UnwrittenAfter { get; set; } = TimeSpan.FromMinutes(1);

    public QuotaLimits For(string owner) => Owners.GetValueOrDefault(owner) ?? Default;
}
