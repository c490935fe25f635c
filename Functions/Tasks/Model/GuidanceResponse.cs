using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>The AWS guidance's answer to a submitted task.</summary>
public sealed record GuidanceResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("output_location")] string OutputLocation);
