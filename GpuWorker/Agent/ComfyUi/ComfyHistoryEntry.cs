using System.Text.Json;
using System.Text.Json.Nodes;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>
/// A finished prompt from <c>GET /history/{prompt_id}</c>: <c>{ id: { "outputs": { node: { "images": [...] } },
/// "status": { "status_str", "completed", "messages": [[event, data], ...] } } }</c>. ComfyUI adds the entry only when the
/// prompt has finished, so an empty answer means it is still queued or running.
/// </summary>
internal sealed record ComfyHistoryEntry(ComfyPromptOutcome Outcome, IReadOnlyList<ComfyOutputImage> Images, JsonObject? Error)
{
    /// <summary>The entry for <paramref name="promptId"/>, or <c>null</c> while the prompt has not finished.</summary>
    /// <exception cref="HttpRequestException">The answer is not the shape ComfyUI gives.</exception>
    public static ComfyHistoryEntry? Parse(JsonObject history, string promptId)
    {
        if (history[promptId] is not JsonObject entry)
        {
            return null;
        }
        var status = entry["status"] as JsonObject;
        var messages = (status?["messages"] as JsonArray ?? []).OfType<JsonArray>()
            .Where(message => message.Count == 2 && message[0] is JsonValue && message[1] is JsonObject)
            .Select(message => (Event: message[0]!.ToString(), Data: message[1]!.AsObject()))
            .ToList();
        if (status?["status_str"]?.ToString() == "error")
        {
            return messages.Any(m => m.Event == "execution_interrupted") && messages.All(m => m.Event != "execution_error")
                ? new ComfyHistoryEntry(ComfyPromptOutcome.Interrupted, [], null)
                : new ComfyHistoryEntry(ComfyPromptOutcome.Failed, [], messages.FirstOrDefault(m => m.Event == "execution_error").Data);
        }
        return new ComfyHistoryEntry(ComfyPromptOutcome.Succeeded, SavedImages(entry["outputs"] as JsonObject), null);
    }

    /// <summary>Saved images only (<c>type</c> = <c>output</c>; previews are <c>temp</c>), by node id, then as listed.</summary>
    private static List<ComfyOutputImage> SavedImages(JsonObject? outputs)
    {
        var images = new List<ComfyOutputImage>();
        foreach (var (nodeId, output) in (outputs ?? []).OrderBy(pair => pair.Key, NodeIdComparer.Instance))
        {
            foreach (var image in (output?["images"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var type = Text(image, "type");
                var filename = Text(image, "filename");
                if (type == "output" && filename.Length > 0)
                {
                    images.Add(new ComfyOutputImage(nodeId, filename, Text(image, "subfolder"), type));
                }
            }
        }
        return images;
    }

    private static string Text(JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";
}
