using System.Net.WebSockets;
using System.Threading.Channels;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>
/// ComfyUI's <c>/ws?clientId=</c> websocket, read on its own loop into <see cref="Messages"/>: JSON text messages only
/// (binary frames are previews). The channel completes when the socket closes or drops; <see cref="EndReason"/> says why.
/// Readers wait with their own timeouts without touching the socket.
/// </summary>
internal sealed class ComfyUiSocket : IAsyncDisposable
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket;
    private readonly Channel<ComfyUiMessage> _messages = Channel.CreateUnbounded<ComfyUiMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private ComfyUiSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = ReadAsync();
    }

    public ChannelReader<ComfyUiMessage> Messages => _messages.Reader;

    public string EndReason { get; private set; } = "";

    /// <summary>Opens <c>/ws?clientId=</c> under <paramref name="baseAddress"/> (http → ws, https → wss).</summary>
    public static async Task<ComfyUiSocket> ConnectAsync(Uri baseAddress, string clientId, CancellationToken cancellationToken)
    {
        var uri = new UriBuilder(baseAddress)
        {
            Scheme = baseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = "/ws",
            Query = $"clientId={Uri.EscapeDataString(clientId)}",
        }.Uri;
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new ComfyUiSocket(socket);
    }

    /// <summary>Closes with the handshake when the socket is still open (ComfyUI then ends its side), else aborts.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var closing = new CancellationTokenSource(CloseWait);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
                await Task.WhenAny(_reading, Task.Delay(CloseWait, closing.Token));
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // Aborted below.
            }
        }
        await _stop.CancelAsync();
        await _reading;
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[16 * 1024];
        using var text = new MemoryStream();
        try
        {
            while (true)
            {
                var frame = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    EndReason = $"closed by ComfyUI ({_socket.CloseStatus} {_socket.CloseStatusDescription})";
                    return;
                }
                if (frame.MessageType == WebSocketMessageType.Text)
                {
                    text.Write(buffer, 0, frame.Count);
                }
                if (frame.EndOfMessage)
                {
                    if (text.Length > 0 && ComfyUiMessage.TryParse(text.GetBuffer().AsSpan(0, (int)text.Length)) is { } message)
                    {
                        _messages.Writer.TryWrite(message);
                    }
                    text.SetLength(0);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            EndReason = "closed by the worker";
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            EndReason = $"dropped: {ex.Message}";
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
