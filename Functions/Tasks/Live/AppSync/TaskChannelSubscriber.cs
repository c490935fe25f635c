using SdServerless.Aws;

namespace SdServerless.Functions.Tasks.Live.AppSync;

/// <summary>
/// Hears tasks' channels on the AppSync Events WebSocket: one connection per process (an API instance on Lambda serves
/// one request at a time), opened on first use and kept for later requests, one subscription per waiter, each handed its channel's events as JSON text. When the
/// connection drops or its keep-alives stop, every waiter on it is told (its <c>lost</c> callback) and
/// reads its task from then on; the next waiter opens a new connection (docs/decisions/0337-task-event-channel.md).
/// </summary>
public sealed partial class TaskChannelSubscriber(TaskChannelOptions options, AwsConnection connection, TimeProvider time, ILogger<TaskChannelSubscriber> logger)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private EventsConnection? _current;

    /// <summary>
    /// Subscribes to <paramref name="taskId"/>'s channel and returns once AppSync confirmed it, so that whatever the
    /// caller reads next cannot miss an event published after it; null (logged) when that failed twice.
    /// </summary>
    public async Task<IDisposable?> WatchAsync(string taskId, Action<string> deliver, Action lost, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            EventsConnection? used = null;
            try
            {
                used = await ConnectedAsync(cancellationToken);
                return await used.SubscribeAsync(taskId, deliver, lost, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ObjectDisposedException)
            {
                // A connection that failed a subscribe is not trusted again: the next try opens a new one.
                if (used is not null)
                {
                    await ForgetAsync(used);
                }
                if (attempt == 2)
                {
                    LogSubscribeFailed(logger, ex, taskId);
                    return null;
                }
            }
        }
    }

    private async Task<EventsConnection> ConnectedAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { IsUsable: true } current)
            {
                return current;
            }
            if (_current is not null)
            {
                await _current.DisposeAsync();
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.SubscribeTimeoutSeconds)));
            _current = await EventsConnection.OpenAsync(options, connection, time, logger, timeout.Token);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ForgetAsync(EventsConnection failed)
    {
        await _gate.WaitAsync();
        try
        {
            if (ReferenceEquals(_current, failed))
            {
                _current = null;
            }
        }
        finally
        {
            _gate.Release();
        }
        await failed.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
        }
        _gate.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "Could not subscribe to the channel of task {TaskId}; its waiter reads the task instead")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string taskId);
}
