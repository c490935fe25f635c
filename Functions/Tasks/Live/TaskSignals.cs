using System.Collections.Concurrent;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>
/// The in-process hub that tells waiting requests and event streams about their task, fed by the callback flow's
/// handlers as they handle the results topic's events (start, progress, end). A waiter subscribes, reads its task once,
/// and then only reads again when a signal for its task arrives: no reads of the table per waiter per second.
/// It hears anything only where the callback flow runs in this process (<see cref="Fed"/>): locally, where the event
/// poller posts to this app, not in the API function on Lambda (docs/decisions/0331-prefer-wait.md).
/// </summary>
public sealed class TaskSignals(bool fed)
{
    private readonly ConcurrentDictionary<string, ImmutableSubscribers> _subscribers = new(StringComparer.Ordinal);

    /// <summary>Whether the callback flow feeds this hub, so that waiting on it can end before its time is up.</summary>
    public bool Fed { get; } = fed;

    public TaskSubscription Subscribe(string taskId)
    {
        var subscription = new TaskSubscription(taskId, this);
        _subscribers.AddOrUpdate(taskId, _ => new ImmutableSubscribers([subscription]), (_, s) => new ImmutableSubscribers([.. s.All, subscription]));
        return subscription;
    }

    public void Publish(TaskSignal signal)
    {
        if (_subscribers.TryGetValue(signal.TaskId, out var subscribers))
        {
            foreach (var subscriber in subscribers.All)
            {
                subscriber.Deliver(signal);
            }
        }
    }

    /// <summary>Tasks with at least one subscriber (for tests and metrics).</summary>
    public int WatchedTasks => _subscribers.Count;

    internal void Unsubscribe(TaskSubscription subscription)
    {
        while (_subscribers.TryGetValue(subscription.TaskId, out var current))
        {
            var rest = current.All.Where(s => !ReferenceEquals(s, subscription)).ToArray();
            var done = rest.Length == 0
                ? _subscribers.TryRemove(new KeyValuePair<string, ImmutableSubscribers>(subscription.TaskId, current))
                : _subscribers.TryUpdate(subscription.TaskId, new ImmutableSubscribers(rest), current);
            if (done)
            {
                return;
            }
        }
    }

    private sealed record ImmutableSubscribers(TaskSubscription[] All);
}
