using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using SdServerless.Aws;
using SdServerless.Aws.Signing;

namespace SdServerless.Functions.Tasks.Live.AppSync;

/// <summary>
/// One WebSocket to an AppSync Events API's real-time endpoint (<c>/event/realtime</c>): connected with IAM
/// authorization in the <c>header-…</c> subprotocol, <c>connection_init</c> answered by <c>connection_ack</c>, then
/// <c>subscribe</c>/<c>unsubscribe</c> by id, <c>data</c> messages routed to their subscription, and <c>ka</c> keep-alives;
/// silence longer than the ack's <c>connectionTimeoutMs</c> counts as a dropped connection.
/// </summary>
internal sealed partial class EventsConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly TaskChannelOptions _options;
    private readonly AwsConnection _aws;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _silenceLimit;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly ConcurrentDictionary<string, Watch> _watches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<EventsMessage>> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();
    private Task _receiving = Task.CompletedTask;
    private DateTimeOffset _lastHeard;
    private volatile bool _closed;

    private EventsConnection(ClientWebSocket socket, TaskChannelOptions options, AwsConnection aws, TimeProvider time, ILogger logger, TimeSpan silenceLimit)
    {
        _socket = socket;
        _options = options;
        _aws = aws;
        _time = time;
        _logger = logger;
        _silenceLimit = silenceLimit;
        _lastHeard = time.GetUtcNow();
    }

    /// <summary>Open and heard from within the keep-alive limit (a Lambda instance thawed after a long pause may hold a dead socket).</summary>
    public bool IsUsable => !_closed && _socket.State == WebSocketState.Open && _time.GetUtcNow() - _lastHeard < _silenceLimit;

    public static async Task<EventsConnection> OpenAsync(TaskChannelOptions options, AwsConnection aws, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol(EventsMessage.Subprotocol);
            socket.Options.AddSubProtocol(EventsAuthorization.HeaderSubprotocol(await SignAsync(options, aws, time, "{}")));
            aws.CallLog?.Record("appsync:EventConnect", TaskChannelArns.Api(options, aws));
            await socket.ConnectAsync(new Uri(options.RealtimeEndpoint!, "/event/realtime"), cancellationToken);
            await SendTextAsync(socket, EventsMessage.ConnectionInit(), cancellationToken);
            while (true)
            {
                var message = EventsMessage.Parse(await ReceiveTextAsync(socket, cancellationToken)
                    ?? throw new WebSocketException("The channel closed before acknowledging the connection."));
                if (message.Type == "connection_ack")
                {
                    var limit = TimeSpan.FromMilliseconds(message.ConnectionTimeoutMs is { } ms and > 0 ? ms : 300_000);
                    var opened = new EventsConnection(socket, options, aws, time, logger, limit);
                    opened._receiving = Task.Run(opened.ReceiveLoopAsync, CancellationToken.None);
                    return opened;
                }
                if (message.Type != "ka")
                {
                    throw new WebSocketException($"The channel refused the connection: {message.Type} {message.Errors}");
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<IDisposable> SubscribeAsync(string taskId, Action<string> deliver, Action lost, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var channel = _options.ChannelOf(taskId);
        var answer = new TaskCompletionSource<EventsMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = new Watch(this, id, deliver, lost);
        _pending[id] = answer;
        // Registered before the subscribe is sent: an event right after subscribe_success is not missed.
        _watches[id] = watch;
        try
        {
            var authorization = await SignAsync(_options, _aws, _time, EventsMessage.SubscribeSigningBody(channel));
            _aws.CallLog?.Record("appsync:EventSubscribe", TaskChannelArns.Namespace(_options, _aws));
            await SendAsync(EventsMessage.Subscribe(id, channel, authorization), cancellationToken);
            var result = await answer.Task.WaitAsync(TimeSpan.FromSeconds(Math.Max(1, _options.SubscribeTimeoutSeconds)), cancellationToken);
            if (result.Type != "subscribe_success")
            {
                throw new WebSocketException($"The channel refused the subscription to {channel}: {result.Type} {result.Errors}");
            }
            return watch;
        }
        catch
        {
            _watches.TryRemove(id, out _);
            throw;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                using var silence = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
                silence.CancelAfter(_silenceLimit);
                var text = await ReceiveTextAsync(_socket, silence.Token);
                if (text is null)
                {
                    break;
                }
                _lastHeard = _time.GetUtcNow();
                Dispatch(EventsMessage.Parse(text));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            if (!_closing.IsCancellationRequested)
            {
                LogDropped(_logger, ex);
            }
        }
        finally
        {
            Close();
        }
    }

    private void Dispatch(EventsMessage message)
    {
        switch (message.Type)
        {
            case "data" when message.Id is not null && _watches.TryGetValue(message.Id, out var watch):
                if (message.Event is not null)
                {
                    watch.Deliver(message.Event);
                }
                break;
            case "subscribe_success" or "subscribe_error" or "error" when message.Id is not null && _pending.TryGetValue(message.Id, out var answer):
                answer.TrySetResult(message);
                break;
            case "connection_error" or "error" when message.Id is null:
                LogError(_logger, message.Type, message.Errors);
                break;
        }
    }

    /// <summary>The connection is gone: pending subscribes fail, and every waiter on it is told.</summary>
    private void Close()
    {
        _closed = true;
        foreach (var answer in _pending.Values)
        {
            answer.TrySetException(new WebSocketException("The channel connection closed."));
        }
        foreach (var watch in _watches.Values)
        {
            watch.Lose();
        }
        _watches.Clear();
    }

    private async Task UnsubscribeAsync(string id)
    {
        if (!_watches.TryRemove(id, out _) || !IsUsable)
        {
            return;
        }
        try
        {
            await SendAsync(EventsMessage.Unsubscribe(id), _closing.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The connection is going; its subscriptions go with it.
        }
    }

    private async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            await SendTextAsync(_socket, text, cancellationToken);
        }
        finally
        {
            _send.Release();
        }
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, string>>> SignAsync(TaskChannelOptions options, AwsConnection aws, TimeProvider time, string body)
    {
        var credentials = await aws.Credentials.GetCredentialsAsync();
        return EventsAuthorization.Sign(options.HttpEndpoint!, body,
            new SigningCredentials(credentials.AccessKey, credentials.SecretKey, credentials.UseToken ? credentials.Token : null), aws.Region, time.GetUtcNow());
    }

    private static Task SendTextAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>One whole text message, or null when the server closed the connection.</summary>
    private static async Task<string?> ReceiveTextAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closing.IsCancellationRequested)
        {
            await _closing.CancelAsync();
        }
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // Closing anyway.
        }
        _socket.Abort();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "The task channel connection dropped; its waiters read their tasks until a new one is opened")]
    private static partial void LogDropped(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "The task channel answered {Type}: {Errors}")]
    private static partial void LogError(ILogger logger, string type, string? errors);

    /// <summary>One waiter's subscription; disposing it unsubscribes.</summary>
    private sealed class Watch(EventsConnection connection, string id, Action<string> deliver, Action lost) : IDisposable
    {
        public void Deliver(string eventJson) => deliver(eventJson);

        public void Lose() => lost();

        public void Dispose() => _ = connection.UnsubscribeAsync(id);
    }
}
