using System.Threading.Channels;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>One waiter's signals for one task; dispose to stop hearing them.</summary>
public sealed class TaskSubscription : IDisposable
{
    private readonly Channel<TaskSignal> _signals = Channel.CreateBounded<TaskSignal>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly TaskSignals _hub;
    private IDisposable? _channel;
    private volatile bool _joined;
    private volatile bool _lost;

    internal TaskSubscription(string taskId, TaskSignals hub)
    {
        TaskId = taskId;
        _hub = hub;
    }

    public string TaskId { get; }

    /// <summary>
    /// Whether signals reach this subscription: its process is fed, or it joined its task's channel and that has not
    /// dropped since. When false, its waiter reads the task now and then instead of waiting for a signal.
    /// </summary>
    public bool Fed => _hub.LocallyFed || (_joined && !_lost);

    /// <summary>The channel subscription (null when it could not be made); disposed with this one.</summary>
    internal void Join(IDisposable? channel)
    {
        _channel = channel;
        _joined = channel is not null;
    }

    /// <summary>The channel dropped: the waiter is woken so that it reads its task, and from then on reads it now and then.</summary>
    internal void Lose()
    {
        _lost = true;
        _signals.Writer.TryWrite(new TaskSignal(TaskId, TaskSignalKind.ChannelLost));
    }

    /// <summary>The next signal, or null when <paramref name="within"/> passes first.</summary>
    public async Task<TaskSignal?> NextAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        if (_signals.Reader.TryRead(out var ready))
        {
            return ready;
        }
        if (within <= TimeSpan.Zero)
        {
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            return await _signals.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    internal void Deliver(TaskSignal signal) => _signals.Writer.TryWrite(signal);

    public void Dispose()
    {
        _hub.Unsubscribe(this);
        _channel?.Dispose();
    }
}
