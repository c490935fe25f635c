namespace SdServerless.Functions.Quotas;

/// <summary>
/// What <see cref="QuotaGate.TakeAsync"/> took for one new task: its in-flight slot (null without that limit) and the
/// UTC day it was counted on (null without a daily limit); or, when over a quota, nothing and the refusal.
/// </summary>
public sealed record QuotaTicket(string Owner, string? Slot, DateOnly? CountedDay, QuotaRefusal? Refusal)
{
    public static QuotaTicket Refused(string owner, QuotaRefusal refusal) => new(owner, null, null, refusal);
}
