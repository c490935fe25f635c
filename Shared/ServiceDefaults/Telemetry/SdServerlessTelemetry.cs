using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SdServerless.ServiceDefaults.Telemetry;

/// <summary>The one ActivitySource and Meter that SdServerless code records its own spans and metrics with.</summary>
public static class SdServerlessTelemetry
{
    public const string Name = "SdServerless";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);
}
