using System.Collections.Concurrent;
using SdServerless.Functions.Tasks.Live.AppSync;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>
/// The in-process hub that tells waiting requests and event streams about their task, fed by the callback flow's
/// handlers as they handle the results topic's events (start, progress, end). A waiter subscribes, reads its task once,
/// and then only reads again when a signal for its task arrives: no reads of the table per waiter per second.
/// It hears the callback flow where that runs in this process (<see cref="LocallyFed"/>: locally, where the event
/// poller posts to this app); elsewhere (the API function on Lambda) a waiter hears its task's channel on the AppSync
/// Events API, which the callback function publishes to (<see cref="PublishAsync"/>; docs/decisions/0331-prefer-wait.md,
/// 0337-task-event-channel.md).
/// </summary>
public sealed class TaskSignals(bool fed, TaskChannelPublisher? publisher = null, TaskChannelSubscriber? channel = null)
{
    private readonly ConcurrentDictionary<string, ImmutableSubscribers> _subscribers = new(StringComparer.Ordinal);

    /// <summary>Whether the callback flow runs in this process and feeds this hub itself.</summary>
    public bool LocallyFed { get; } = fed;

    /// <summary>Whether a waiter hears its task's signals (from this process or from the channel), so that waiting can end before its time is up.</summary>
    public bool Fed => LocallyFed || channel is not null;

    /// <summary>A subscription to this process's signals for <paramref name="taskId"/> only (tests, and where the channel is not wanted).</summary>
    public TaskSubscription Subscribe(string taskId)
    {
        var subscription = new TaskSubscription(taskId, this);
        _subscribers.AddOrUpdate(taskId, _ => new ImmutableSubscribers([subscription]), (_, s) => new ImmutableSubscribers([.. s.All, subscription]));
        return subscription;
    }

    /// <summary>
    /// A subscription to <paramref name="taskId"/>'s signals; where this process is not fed itself, also to its channel,
    /// confirmed before this returns, so a read made afterwards misses nothing. When the channel cannot be joined the
    /// subscription says so (<see cref="TaskSubscription.Fed"/> false) and its waiter reads the task instead.
    /// </summary>
    public async Task<TaskSubscription> SubscribeAsync(string taskId, CancellationToken cancellationToken)
    {
        var subscription = Subscribe(taskId);
        if (LocallyFed || channel is null)
        {
            return subscription;
        }
        try
        {
            // Only our events for this task count: anything else on the channel is ignored.
            subscription.Join(await channel.WatchAsync(taskId, json =>
            {
                if (TaskChannelEvent.Read(json) is { } signal && signal.TaskId == taskId)
                {
                    subscription.Deliver(signal);
                }
            }, subscription.Lose, cancellationToken));
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
        return subscription;
    }

    /// <summary>Tells this process's waiters and, where a channel is configured, every API instance's (a failed publish is logged, never thrown).</summary>
    public async Task PublishAsync(TaskSignal signal, CancellationToken cancellationToken)
    {
        Publish(signal);
        if (publisher is not null)
        {
            await publisher.PublishAsync(signal.TaskId, signal.Kind.ToString().ToLowerInvariant(), TaskChannelEvent.Write(signal), cancellationToken);
        }
    }

    /// <summary>Tells this process's waiters only.</summary>
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
