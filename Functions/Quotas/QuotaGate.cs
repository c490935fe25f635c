using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Usage;

namespace SdServerless.Functions.Quotas;

/// <summary>
/// Checks a key's quotas before a task is created, by counting its tasks in the by-owner index (a Query of the key's
/// own recent range, never a Scan): queued or running ones for <c>max_in_flight</c>, those created since 00:00 UTC for
/// <c>max_per_day</c>. Counting the tasks themselves needs no counter to keep in step, so a key recovers as soon as its
/// tasks end. Submissions racing each other may pass the same count: the limits are soft by the few requests in flight.
/// </summary>
public sealed class QuotaGate(OwnerTaskRange tasks, QuotaOptions options, TimeProvider time)
{
    public const string MaxInFlight = "max_in_flight";
    public const string MaxPerDay = "max_per_day";

    private static readonly IReadOnlyList<string> InFlight = [TaskStatuses.Queued, TaskStatuses.Running];

    /// <summary>Null when the key may submit one more task.</summary>
    public async Task<QuotaRefusal?> CheckAsync(string owner, CancellationToken cancellationToken)
    {
        var limits = options.For(owner);
        var now = time.GetUtcNow();
        if (limits.MaxInFlight is { } maxInFlight)
        {
            var running = await tasks.CountAsync(owner, now - options.InFlightWindow, now.AddSeconds(1), InFlight, cancellationToken);
            if (running >= maxInFlight)
            {
                return new QuotaRefusal(MaxInFlight, maxInFlight, running, options.InFlightRetryAfterSeconds);
            }
        }
        if (limits.MaxPerDay is { } maxPerDay)
        {
            var midnight = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
            var today = await tasks.CountAsync(owner, midnight, now.AddSeconds(1), null, cancellationToken);
            if (today >= maxPerDay)
            {
                return new QuotaRefusal(MaxPerDay, maxPerDay, today, (int)Math.Ceiling((midnight.AddDays(1) - now).TotalSeconds));
            }
        }
        return null;
    }
}
