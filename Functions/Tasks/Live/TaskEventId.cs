using System.Globalization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>
/// An event's id on a task's stream, <c>{phase}.{step}</c>: phase 0 queued, 1 running, 2 ended; step the denoising steps
/// done. Ids follow from the task's state alone, so any instance can resume a stream from <c>Last-Event-ID</c>.
/// </summary>
public readonly record struct TaskEventId(int Phase, int Step) : IComparable<TaskEventId>
{
    /// <summary>Before every event: nothing sent yet.</summary>
    public static readonly TaskEventId None = new(-1, 0);

    public static int PhaseOf(string status) =>
        status == TaskStatuses.Queued ? 0 : status == TaskStatuses.Running ? 1 : 2;

    /// <summary>The id a client sent back in <c>Last-Event-ID</c>; <see cref="None"/> when absent or not one of ours.</summary>
    public static TaskEventId Parse(string? lastEventId)
    {
        var parts = (lastEventId ?? "").Split('.');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var phase) && phase <= 2
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            ? new TaskEventId(phase, step)
            : None;
    }

    public int CompareTo(TaskEventId other) => Phase != other.Phase ? Phase.CompareTo(other.Phase) : Step.CompareTo(other.Step);

    public static bool operator >(TaskEventId left, TaskEventId right) => left.CompareTo(right) > 0;

    public static bool operator <(TaskEventId left, TaskEventId right) => left.CompareTo(right) < 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Phase}.{Step}");
}
