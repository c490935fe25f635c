using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

public sealed record RuntimeListView([property: JsonPropertyName("runtimes")] IReadOnlyList<RuntimeView> Runtimes);
