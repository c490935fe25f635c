using System.Text.Json.Serialization;
using SdServerless.Contracts.Runtimes;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>
/// A runtime's limits: width and height are multiples of <c>size_multiple</c> from <c>min_size</c> to <c>max_size</c>;
/// where set, the longest a task waits without a deadline (<c>queue_ttl_seconds</c>) and runs (<c>max_execution_seconds</c>).
/// </summary>
public sealed record RuntimeLimitsView(
    [property: JsonPropertyName("min_size")] int MinSize,
    [property: JsonPropertyName("max_size")] int MaxSize,
    [property: JsonPropertyName("size_multiple")] int SizeMultiple,
    [property: JsonPropertyName("max_steps")] int MaxSteps,
    [property: JsonPropertyName("max_batch_size")] int MaxBatchSize,
    [property: JsonPropertyName("max_cfg_scale")] float MaxCfgScale,
    [property: JsonPropertyName("queue_ttl_seconds")] int? QueueTtlSeconds = null,
    [property: JsonPropertyName("max_execution_seconds")] int? MaxExecutionSeconds = null)
{
    /// <summary>The largest input image (init image, ComfyUI input, upload), in bytes.</summary>
    [JsonPropertyName("max_input_bytes")] public long MaxInputBytes { get; init; }

    /// <summary>The most megapixels an input image may have, read from its header when the task starts.</summary>
    [JsonPropertyName("max_input_megapixels")] public double MaxInputMegapixels { get; init; }

    public static RuntimeLimitsView From(RuntimeDefinition runtime) =>
        new(runtime.Size.Min, runtime.Size.Max, runtime.Size.Multiple, runtime.MaxSteps, runtime.MaxBatchSize, runtime.MaxCfgScale,
            runtime.QueueTtlSeconds, runtime.MaxExecutionSeconds)
        {
            MaxInputBytes = runtime.MaxInputBytes,
            MaxInputMegapixels = runtime.MaxInputMegapixels,
        };
}
