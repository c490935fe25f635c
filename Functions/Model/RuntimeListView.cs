using System.Text.Json.Serialization;

namespace SdServerless.Functions.Model;

public sealed record RuntimeListView([property: JsonPropertyName("runtimes")] IReadOnlyList<RuntimeView> Runtimes);
