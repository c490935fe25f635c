using System.Globalization;

namespace SdServerless.Functions.Quotas;

/// <summary>
/// A task's slot in its key's in-flight set: <c>{unix seconds when taken}.{task id}</c>. The time lets a slot whose
/// task was never written be told apart from one whose task is being written right now; the id finds its task.
/// </summary>
public sealed record QuotaSlot(DateTimeOffset TakenAt, string TaskId)
{
    public override string ToString() => $"{TakenAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{TaskId}";

    public static QuotaSlot For(string taskId, DateTimeOffset takenAt) => new(DateTimeOffset.FromUnixTimeSeconds(takenAt.ToUnixTimeSeconds()), taskId);

    /// <summary>Null for a value that is no slot.</summary>
    public static QuotaSlot? TryRead(string value)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < value.Length - 1 && long.TryParse(value.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? new QuotaSlot(DateTimeOffset.FromUnixTimeSeconds(seconds), value[(dot + 1)..])
            : null;
    }
}
