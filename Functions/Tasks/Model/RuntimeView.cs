using System.Text.Json.Serialization;
using SdServerless.Contracts.Runtimes;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>
/// A deployed runtime: what it accepts (from the runtime catalogue) and its queues' approximate depth, in all and per
/// priority (<c>queues</c>: <c>high</c>, <c>normal</c>, <c>low</c>).
/// </summary>
public sealed record RuntimeView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("default")] bool IsDefault,
    [property: JsonPropertyName("task_types")] IReadOnlyList<string> TaskTypes,
    [property: JsonPropertyName("limits")] RuntimeLimitsView Limits,
    [property: JsonPropertyName("samplers")] IReadOnlyList<string> Samplers,
    [property: JsonPropertyName("dynamic_model")] bool DynamicModel,
    [property: JsonPropertyName("visible_messages")] long VisibleMessages,
    [property: JsonPropertyName("in_flight_messages")] long InFlightMessages,
    [property: JsonPropertyName("a1111_fields")] IReadOnlyDictionary<string, string> A1111Fields,
    [property: JsonPropertyName("queues")] IReadOnlyDictionary<string, QueueDepthView> Queues)
{
    /// <summary>The price usage is estimated with; null where the catalogue sets none.</summary>
    [JsonPropertyName("price")] public RuntimePriceView? Price { get; init; }

    public static RuntimeView From(RuntimeDefinition runtime, bool isDefault, IReadOnlyDictionary<string, QueueDepthView> queues, IReadOnlyDictionary<string, string> a1111Fields) =>
        new(runtime.Name, runtime.Type, isDefault, runtime.TaskTypes, RuntimeLimitsView.From(runtime), runtime.Samplers, runtime.DynamicModel,
            queues.Values.Sum(q => q.VisibleMessages), queues.Values.Sum(q => q.InFlightMessages), a1111Fields, queues)
        {
            Price = runtime.Price is { } price ? new RuntimePriceView(price.InstanceHourUsd, price.ConcurrentTasks, Math.Round(price.PerTaskSecondUsd, 10)) : null,
        };
}
