using System.Threading.Channels;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>One waiter's signals for one task; dispose to stop hearing them.</summary>
public sealed class TaskSubscription : IDisposable
{
    private readonly Channel<TaskSignal> _signals = Channel.CreateBounded<TaskSignal>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly TaskSignals _hub;

    internal TaskSubscription(string taskId, TaskSignals hub)
    {
        TaskId = taskId;
        _hub = hub;
    }

    public string TaskId { get; }

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

    public void Dispose() => _hub.Unsubscribe(this);
}
