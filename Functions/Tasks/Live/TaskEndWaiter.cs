using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>
/// Waits for a task to end, for <c>Prefer: wait</c>: subscribes to its signals, reads it once, and reads it again only
/// when its end is signalled (or, where its channel dropped, every
/// <see cref="LiveOptions.UnfedReadMilliseconds"/>). Returns the task as last read (ended, or as it was when the time ran out).
/// </summary>
public sealed class TaskEndWaiter(TaskSignals signals, TaskTable tasks, LiveOptions options, TimeProvider time)
{
    /// <summary>
    /// The seconds a request's <c>Prefer: wait</c> asks for, cut to <see cref="LiveOptions.MaxWaitSeconds"/>; null when it
    /// asks for none, or when nothing feeds this process's signals (then the preference is not applied: RFC 7240 lets a
    /// server ignore one, and waiting blind would only delay the answer).
    /// </summary>
    public int? RequestedSeconds(HttpRequest request) =>
        signals.Fed ? PreferWait.From(request.Headers[PreferWait.PreferHeader], options.MaxWaitSeconds) : null;

    public async Task<TaskRecord?> WaitAsync(string id, TaskRecord? known, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (known is not null && TaskStatuses.IsTerminal(known.Status))
        {
            return known;
        }
        using var subscription = await signals.SubscribeAsync(id, cancellationToken);
        // Read after subscribing: an end between the caller's read and the subscription is not missed.
        var task = await tasks.GetAsync(id, cancellationToken);
        var until = time.GetUtcNow() + wait;
        while (task is not null && !TaskStatuses.IsTerminal(task.Status))
        {
            var left = until - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                break;
            }
            // A subscription whose channel dropped hears nothing more: its waiter reads the task now and then instead.
            var fed = subscription.Fed;
            var signal = await subscription.NextAsync(fed ? left : Min(left, TimeSpan.FromMilliseconds(options.UnfedReadMilliseconds)), cancellationToken);
            if (signal is null && fed)
            {
                break;
            }
            if (signal is null or { Kind: TaskSignalKind.Ended or TaskSignalKind.ChannelLost })
            {
                task = await tasks.GetAsync(id, cancellationToken);
            }
        }
        return task;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
