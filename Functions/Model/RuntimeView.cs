using System.Text.Json.Serialization;

namespace SdServerless.Functions.Model;

/// <summary>A configured runtime and its queue's approximate depth.</summary>
public sealed record RuntimeView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("default")] bool IsDefault,
    [property: JsonPropertyName("visible_messages")] long VisibleMessages,
    [property: JsonPropertyName("in_flight_messages")] long InFlightMessages);
