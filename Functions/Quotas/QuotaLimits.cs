namespace SdServerless.Functions.Quotas;

/// <summary>One key's limits; null means no limit.</summary>
public sealed class QuotaLimits
{
    /// <summary>The most of the key's tasks queued or running at once.</summary>
    public int? MaxInFlight { get; set; }

    /// <summary>The most tasks the key may submit per UTC day.</summary>
    public int? MaxPerDay { get; set; }

    /// <summary>Whether a submit takes anything from this key's quotas.</summary>
    public bool Any => MaxInFlight is not null || MaxPerDay is not null;
}
