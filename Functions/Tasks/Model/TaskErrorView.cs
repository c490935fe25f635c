using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

public sealed record TaskErrorView([property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("message")] string Message);
