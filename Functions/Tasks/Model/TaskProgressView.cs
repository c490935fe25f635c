using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

public sealed record TaskProgressView([property: JsonPropertyName("step")] int Step, [property: JsonPropertyName("steps")] int Steps);
