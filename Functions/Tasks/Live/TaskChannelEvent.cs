using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>
/// A <see cref="TaskSignal"/> as one event on a task's channel: <c>{"id":"…","kind":"progress","step":3,"steps":20,"at":"…"}</c>.
/// Written and read by hand (no reflection), as the app is published with Native AOT.
/// </summary>
public static class TaskChannelEvent
{
    public static string Write(TaskSignal signal)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", signal.TaskId);
            writer.WriteString("kind", Name(signal.Kind));
            if (signal.Kind == TaskSignalKind.Progress)
            {
                writer.WriteNumber("step", signal.Step);
                writer.WriteNumber("steps", signal.Steps);
                if (signal.At is { } at)
                {
                    writer.WriteString("at", at.ToString("O", CultureInfo.InvariantCulture));
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The signal an event carries, or null when it is not one of ours (then it is ignored).</summary>
    public static TaskSignal? Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("kind", out var kindText) || Kind(kindText.GetString()) is not { } kind)
            {
                return null;
            }
            if (kind != TaskSignalKind.Progress)
            {
                return new TaskSignal(id.GetString()!, kind);
            }
            var step = root.TryGetProperty("step", out var s) && s.TryGetInt32(out var stepValue) ? stepValue : 0;
            var steps = root.TryGetProperty("steps", out var t) && t.TryGetInt32(out var stepsValue) ? stepsValue : 0;
            DateTimeOffset? at = root.TryGetProperty("at", out var a) && a.TryGetDateTimeOffset(out var atValue) ? atValue : null;
            return new TaskSignal(id.GetString()!, kind, step, steps, at);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Name(TaskSignalKind kind) => kind switch
    {
        TaskSignalKind.Started => "started",
        TaskSignalKind.Progress => "progress",
        TaskSignalKind.Ended => "ended",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only started, progress and ended travel on a channel."),
    };

    private static TaskSignalKind? Kind(string? name) => name switch
    {
        "started" => TaskSignalKind.Started,
        "progress" => TaskSignalKind.Progress,
        "ended" => TaskSignalKind.Ended,
        _ => null,
    };
}
