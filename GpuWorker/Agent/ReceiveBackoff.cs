namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Delays between failed receives: exponential from <paramref name="initial"/> up to <paramref name="max"/>, with full
/// jitter (a uniform draw below the exponential bound), so that many workers that lost the queue together do not
/// retry together. A successful receive resets it.
/// </summary>
public sealed class ReceiveBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    private int _failures;

    public int Failures => _failures;

    /// <summary>The bound of the next delay: <c>min(max, initial * 2^failures)</c>.</summary>
    public TimeSpan Ceiling => TimeSpan.FromTicks((long)Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, Math.Min(_failures, 30))));

    /// <summary>The delay after one more failure: uniform in [initial / 2, ceiling].</summary>
    public TimeSpan NextDelay()
    {
        var ceiling = Ceiling;
        _failures++;
        var floor = initial.Ticks / 2;
        return TimeSpan.FromTicks(floor + (long)(random.NextDouble() * Math.Max(0, ceiling.Ticks - floor)));
    }

    public void Reset() => _failures = 0;
}
