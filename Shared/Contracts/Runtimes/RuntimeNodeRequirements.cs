using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

/// <summary>The nodes a runtime's pods may run on: EC2 instance families (<c>g6e</c>) and capacity types (<c>spot</c>, <c>on-demand</c>).</summary>
public sealed record RuntimeNodeRequirements
{
    [JsonPropertyName("instanceFamilies")] public IReadOnlyList<string>? InstanceFamilies { get; init; }

    [JsonPropertyName("capacityTypes")] public IReadOnlyList<string>? CapacityTypes { get; init; }
}
