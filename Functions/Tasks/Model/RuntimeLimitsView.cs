using System.Text.Json.Serialization;
using SdServerless.Contracts.Runtimes;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>A runtime's limits: width and height are multiples of <c>size_multiple</c> from <c>min_size</c> to <c>max_size</c>.</summary>
public sealed record RuntimeLimitsView(
    [property: JsonPropertyName("min_size")] int MinSize,
    [property: JsonPropertyName("max_size")] int MaxSize,
    [property: JsonPropertyName("size_multiple")] int SizeMultiple,
    [property: JsonPropertyName("max_steps")] int MaxSteps,
    [property: JsonPropertyName("max_batch_size")] int MaxBatchSize,
    [property: JsonPropertyName("max_cfg_scale")] float MaxCfgScale)
{
    public static RuntimeLimitsView From(RuntimeDefinition runtime) =>
        new(runtime.Size.Min, runtime.Size.Max, runtime.Size.Multiple, runtime.MaxSteps, runtime.MaxBatchSize, runtime.MaxCfgScale);
}
