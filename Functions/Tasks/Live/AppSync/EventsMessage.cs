using System.Text;
using System.Text.Json;

namespace SdServerless.Functions.Tasks.Live.AppSync;

/// <summary>
/// One message of the AppSync Events WebSocket protocol (subprotocol <c>aws-appsync-event-ws</c>), as read: its
/// <c>type</c> (<c>connection_ack</c>, <c>ka</c>, <c>subscribe_success</c>, <c>subscribe_error</c>, <c>data</c>,
/// <c>unsubscribe_success</c>, <c>error</c>, <c>connection_error</c>…), the subscription <c>id</c> it is about, a data
/// message's <c>event</c> (a JSON string), the ack's <c>connectionTimeoutMs</c> and any errors as text.
/// </summary>
public sealed record EventsMessage(string Type, string? Id = null, string? Event = null, int? ConnectionTimeoutMs = null, string? Errors = null)
{
    public const string Subprotocol = "aws-appsync-event-ws";

    public static EventsMessage Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return new EventsMessage("unreadable", Errors: json);
            }
            return new EventsMessage(
                type.GetString()!,
                root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
                root.TryGetProperty("event", out var data) ? data.ValueKind == JsonValueKind.String ? data.GetString() : data.GetRawText() : null,
                root.TryGetProperty("connectionTimeoutMs", out var timeout) && timeout.TryGetInt32(out var ms) ? ms : null,
                root.TryGetProperty("errors", out var errors) ? errors.GetRawText() : null);
        }
        catch (JsonException)
        {
            return new EventsMessage("unreadable", Errors: json);
        }
    }

    public static string ConnectionInit() => """{"type":"connection_init"}""";

    public static string Subscribe(string id, string channel, IReadOnlyList<KeyValuePair<string, string>> authorization) =>
        Write(writer =>
        {
            writer.WriteString("type", "subscribe");
            writer.WriteString("id", id);
            writer.WriteString("channel", channel);
            writer.WritePropertyName("authorization");
            EventsAuthorization.WriteObject(writer, authorization);
        });

    public static string Unsubscribe(string id) => Write(writer =>
    {
        writer.WriteString("type", "unsubscribe");
        writer.WriteString("id", id);
    });

    /// <summary>The body a subscribe's authorization is signed for: <c>{"channel":"/ns/name"}</c>.</summary>
    public static string SubscribeSigningBody(string channel) => Write(writer => writer.WriteString("channel", channel));

    /// <summary>The body of an HTTP publish: <c>{"channel":"/ns/name","events":["…"]}</c>, each event a JSON string.</summary>
    public static string PublishBody(string channel, IEnumerable<string> events) => Write(writer =>
    {
        writer.WriteString("channel", channel);
        writer.WriteStartArray("events");
        foreach (var item in events)
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    });

    private static string Write(Action<Utf8JsonWriter> properties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, EventsAuthorization.WriterOptions))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
