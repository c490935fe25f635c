using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Quotas;

/// <summary>
/// A key's quotas, held under concurrency by <see cref="QuotaCounters"/>: before a task is written, the submit takes a
/// slot in the key's in-flight set (<c>max_in_flight</c>) and counts the task on its UTC day (<c>max_per_day</c>), each a
/// conditional write that fails at the limit. The slot is stored on the task and released when the task ends (result,
/// cancel, failed publish) or when its write does not happen; releasing is idempotent. When the set is full,
/// <see cref="StaleSlots"/> first frees slots whose task can no longer release them (docs/decisions/0349).
/// </summary>
public sealed partial class QuotaGate(QuotaCounters counters, StaleSlots stale, QuotaOptions options, ILogger<QuotaGate> logger)
{
    public const string MaxInFlight = "max_in_flight";
    public const string MaxPerDay = "max_per_day";

    /// <summary>Whether <paramref name="owner"/>'s submits take anything from a quota (a key without limits takes nothing).</summary>
    public bool Limits(string owner) => options.For(owner).Any;

    /// <summary>Takes what the new task <paramref name="taskId"/>, created at <paramref name="now"/>, needs of its key's quotas.</summary>
    public async Task<QuotaTicket> TakeAsync(string owner, string taskId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limits = options.For(owner);
        string? slot = null;
        if (limits.MaxInFlight is { } maxInFlight)
        {
            slot = QuotaSlot.For(taskId, now).ToString();
            if (!await counters.TryTakeSlotAsync(owner, slot, maxInFlight, cancellationToken)
                && !(await stale.ReleaseAsync(owner, now, cancellationToken) > 0 && await counters.TryTakeSlotAsync(owner, slot, maxInFlight, cancellationToken)))
            {
                var held = (await counters.ReadSlotsAsync(owner, cancellationToken)).Count;
                LogRefused(logger, owner, MaxInFlight, maxInFlight);
                return QuotaTicket.Refused(owner, new QuotaRefusal(MaxInFlight, maxInFlight, Math.Max(held, maxInFlight), options.InFlightRetryAfterSeconds));
            }
        }
        DateOnly? day = null;
        if (limits.MaxPerDay is { } maxPerDay)
        {
            day = DateOnly.FromDateTime(now.UtcDateTime);
            if (!await counters.TryCountDayAsync(owner, day.Value, maxPerDay, cancellationToken))
            {
                if (slot is not null)
                {
                    await counters.ReleaseSlotsAsync(owner, [slot], CancellationToken.None);
                }
                var counted = await counters.ReadDayAsync(owner, day.Value, cancellationToken);
                var midnight = new DateTimeOffset(day.Value.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero);
                LogRefused(logger, owner, MaxPerDay, maxPerDay);
                return QuotaTicket.Refused(owner, new QuotaRefusal(MaxPerDay, maxPerDay, Math.Max(counted, maxPerDay), (int)Math.Ceiling((midnight - now).TotalSeconds)));
            }
        }
        return new QuotaTicket(owner, slot, day, null);
    }

    /// <summary>
    /// Gives back what <paramref name="ticket"/> took, for a task this request did not write (the write failed, or the
    /// task existed already). <paramref name="keptSlot"/> is the slot of a task that exists, which stays taken.
    /// </summary>
    public async Task ReturnAsync(QuotaTicket ticket, string? keptSlot)
    {
        if (ticket.Slot is { } slot && slot != keptSlot)
        {
            await counters.ReleaseSlotsAsync(ticket.Owner, [slot], CancellationToken.None);
        }
        if (ticket.CountedDay is { } day)
        {
            await counters.UncountDayAsync(ticket.Owner, day, CancellationToken.None);
        }
    }

    /// <summary>Frees the in-flight slot of a task that ended; repeating it (every delivery of the end) changes nothing.</summary>
    public Task ReleaseAsync(TaskRecord task, CancellationToken cancellationToken) =>
        task.QuotaSlot is { } slot && TaskStatuses.IsTerminal(task.Status)
            ? counters.ReleaseSlotsAsync(task.Owner, [slot], cancellationToken)
            : Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Owner {Owner} is over its {Limit} quota of {Value}")]
    private static partial void LogRefused(ILogger logger, string owner, string limit, int value);
}
