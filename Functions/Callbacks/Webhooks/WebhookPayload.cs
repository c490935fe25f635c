using System.Text.Json;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>A webhook's body: <c>event</c>, then the task exactly as <c>GET /v1/tasks/{id}</c> shows it.</summary>
public static class WebhookPayload
{
    public static byte[] Create(string eventName, TaskView task)
    {
        using var view = JsonSerializer.SerializeToDocument(task, FunctionsJsonContext.Default.TaskView);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("event", eventName);
            foreach (var property in view.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }
}
