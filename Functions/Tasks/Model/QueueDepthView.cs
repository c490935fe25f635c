using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>One queue's approximate depth: messages waiting and messages a worker holds (running).</summary>
public sealed record QueueDepthView(
    [property: JsonPropertyName("visible_messages")] long VisibleMessages,
    [property: JsonPropertyName("in_flight_messages")] long InFlightMessages);
