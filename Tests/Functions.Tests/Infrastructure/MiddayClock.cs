using System.Diagnostics;

namespace SdServerless.Functions.Tests.Infrastructure;

/// <summary>
/// The app's clock for tests that count by day (quotas, usage): it runs from noon UTC of today, so their days never
/// straddle midnight, whenever the suite runs.
/// </summary>
public sealed class MiddayClock : TimeProvider
{
    private readonly DateTimeOffset _start = new(DateTime.UtcNow.Date.AddHours(12), TimeSpan.Zero);
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    public override DateTimeOffset GetUtcNow() => _start + _elapsed.Elapsed;

    public DateOnly Today => DateOnly.FromDateTime(GetUtcNow().UtcDateTime);
}
