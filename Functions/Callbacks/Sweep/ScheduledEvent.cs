using System.Text.Json;

namespace SdServerless.Functions.Callbacks.Sweep;

/// <summary>An EventBridge scheduled event, as Lambda passes it to the function (and the Lambda Web Adapter to <c>/events</c>).</summary>
public static class ScheduledEvent
{
    public const string Source = "aws.events";
    public const string DetailType = "Scheduled Event";

    public static bool Is(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String && source.GetString() == Source
        && body.TryGetProperty("detail-type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == DetailType;
}
