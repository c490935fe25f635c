using System.Text.Json.Serialization;

namespace SdServerless.Functions.Model;

public sealed record TaskErrorView([property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("message")] string Message);
