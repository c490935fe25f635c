using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

/// <summary>The shape of <c>runtimes.json</c>.</summary>
public sealed record RuntimeCatalogDocument([property: JsonPropertyName("runtimes")] IReadOnlyList<RuntimeDefinition> Runtimes);
