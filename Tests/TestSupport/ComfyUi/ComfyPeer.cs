using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SdServerless.TestSupport.ComfyUi;

/// <summary>One client's websocket on the test server; sends are serialized as ComfyUI's are.</summary>
internal sealed class ComfyPeer(WebSocket socket)
{
    private readonly SemaphoreSlim _sending = new(1, 1);

    public async Task SendAsync(string type, JsonObject data)
    {
        var text = new JsonObject { ["type"] = type, ["data"] = data }.ToJsonString();
        await SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);
    }

    public Task SendPreviewAsync() => SendAsync([0, 0, 0, 1, 0, 0, 0, 2, 0x89, 0x50, 0x4E, 0x47], WebSocketMessageType.Binary);

    public void Abort() => socket.Abort();

    private async Task SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        await _sending.WaitAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The client went away; ComfyUI drops such sends too.
        }
        finally
        {
            _sending.Release();
        }
    }
}
