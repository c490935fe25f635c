using System.Text.Json;
using System.Text.Json.Nodes;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>One JSON message from ComfyUI's websocket: <c>{ "type": ..., "data": { ... } }</c>.</summary>
internal sealed record ComfyUiMessage(string Type, JsonObject Data)
{
    /// <summary>The prompt the message is about; <c>null</c> when ComfyUI did not say.</summary>
    public string? PromptId => Data["prompt_id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : null;

    /// <summary>The message, or <c>null</c> for text that is not a typed JSON object.</summary>
    public static ComfyUiMessage? TryParse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonNode.Parse(utf8) is JsonObject message
                && message["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String
                && message["data"] is JsonObject data
                ? new ComfyUiMessage(type.GetValue<string>(), data)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
