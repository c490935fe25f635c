namespace SdServerless.Functions.Quotas;

/// <summary>One key's limits; null means no limit.</summary>
public sealed class QuotaLimits
{
    /// <summary>The most of the key's tasks queued or running at once.</summary>
    public int? MaxInFlight { get; set; }

    /// <summary>The most tasks the key may submit per UTC day.</summary>
    public int? MaxPerDay { get; set; }
}
