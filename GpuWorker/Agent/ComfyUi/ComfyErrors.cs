using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>Turns ComfyUI's error bodies into one readable message that keeps ComfyUI's own words.</summary>
internal static class ComfyErrors
{
    private const int MaxLength = 1500;

    /// <summary>A <c>/prompt</c> 400 body: <c>{ "error": { "message", "details" }, "node_errors": { id: { "class_type", "errors": [...] } } }</c>.</summary>
    public static string Rejection(string body)
    {
        var text = new StringBuilder("ComfyUI rejected the workflow: ");
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }
        if (json is null)
        {
            return Truncate(text.Append(body).ToString());
        }

        text.Append(json["error"] switch
        {
            JsonObject error => WithDetails(Text(error["message"]), Text(error["details"])),
            JsonValue error => error.ToString(),
            _ => "invalid prompt",
        });
        if (json["node_errors"] is JsonObject nodes)
        {
            foreach (var (id, node) in nodes.OrderBy(pair => pair.Key, NodeIdComparer.Instance))
            {
                var errors = (node?["errors"] as JsonArray ?? []).OfType<JsonObject>()
                    .Select(error => WithDetails(Text(error["message"]), Text(error["details"])));
                text.Append($"; node {id} ({Text(node?["class_type"])}): {string.Join(", ", errors)}");
            }
        }
        return Truncate(text.ToString());
    }

    /// <summary>
    /// An <c>execution_error</c> (node, class and the exception ComfyUI caught) as an exception: the workflow's fault
    /// (<c>workflow_failed</c>), except running out of GPU memory, which is the machine's and worth another try.
    /// </summary>
    public static Exception ExecutionFailure(JsonObject? data)
    {
        if (data is null)
        {
            return new GenerationInputException("workflow_failed", "ComfyUI reported an error without details.");
        }
        var type = Text(data["exception_type"]);
        var message = Text(data["exception_message"]);
        var text = Truncate($"ComfyUI node {Text(data["node_id"])} ({Text(data["node_type"])}) failed: {WithDetails(type, message)}");
        return type.EndsWith("OutOfMemoryError", StringComparison.Ordinal) || message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
            ? new HttpRequestException(text)
            : new GenerationInputException("workflow_failed", text);
    }

    public static string Truncate(string text) => text.Length <= MaxLength ? text : text[..MaxLength];

    private static string WithDetails(string message, string details) =>
        details.Length == 0 ? message : message.Length == 0 ? details : $"{message}: {details}";

    private static string Text(JsonNode? node) =>
        node is JsonValue value ? (value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()).Trim() : "";
}
