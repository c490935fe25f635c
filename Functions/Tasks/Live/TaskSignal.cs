namespace SdServerless.Functions.Tasks.Live;

/// <summary>
/// What the callback flow heard about a task: it started, made progress (<paramref name="Step"/> of <paramref name="Steps"/>,
/// recorded by the worker <paramref name="At"/>) or ended.
/// </summary>
public sealed record TaskSignal(string TaskId, TaskSignalKind Kind, int Step = 0, int Steps = 0, DateTimeOffset? At = null);

public enum TaskSignalKind
{
    Started,
    Progress,
    Ended,

    /// <summary>Not from the callback flow: the channel this subscription listened on dropped (docs/decisions/0337-task-event-channel.md).</summary>
    ChannelLost,
}
