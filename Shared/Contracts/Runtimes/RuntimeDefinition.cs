using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

/// <summary>
/// One runtime of the catalogue: its queue's name, the kind of generator behind it and what that generator serves.
/// The API validates submissions against it, <c>GET /v1/runtimes</c> publishes it, the worker checks its own limits
/// against it at start-up and the GPU tier renders the runtime's pod from it.
/// </summary>
public sealed record RuntimeDefinition
{
    [JsonPropertyName("name")] public required string Name { get; set; }

    /// <summary>One of <see cref="RuntimeTypes"/>.</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = RuntimeTypes.Onnx;

    /// <summary>A local folder or <c>s3://bucket/prefix/</c> (ONNX: the optimum export; A1111: the checkpoint); empty where the runtime brings its own.</summary>
    [JsonPropertyName("model")] public string Model { get; set; } = "";

    /// <summary>A1111: tasks may pick another checkpoint with <c>sd_model_checkpoint</c>.</summary>
    [JsonPropertyName("dynamicModel")] public bool DynamicModel { get; set; }

    [JsonPropertyName("taskTypes")] public IReadOnlyList<string> TaskTypes { get; set; } = [Tasks.TaskTypes.TextToImage, Tasks.TaskTypes.ImageToImage];

    [JsonPropertyName("size")] public SizeRule Size { get; set; } = new(64, 2048, 64);

    [JsonPropertyName("maxSteps")] public int MaxSteps { get; set; } = 150;

    [JsonPropertyName("maxBatchSize")] public int MaxBatchSize { get; set; } = 8;

    [JsonPropertyName("maxCfgScale")] public float MaxCfgScale { get; set; } = 30f;

    /// <summary>Sampler names (AUTOMATIC1111 spelling, matched without regard to case); empty for runtimes that take none (ComfyUI).</summary>
    [JsonPropertyName("samplers")] public IReadOnlyList<string> Samplers { get; set; } = [];

    /// <summary>
    /// The longest a task may wait in this runtime's queues, in seconds, when its request sets no deadline: not started
    /// by then, it ends <c>expired</c>. Null: tasks wait until a worker takes them.
    /// </summary>
    [JsonPropertyName("queueTtlSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? QueueTtlSeconds { get; set; }

    /// <summary>
    /// The longest one attempt at a task may run, in seconds: past it the worker interrupts the generator and the task
    /// ends <c>failed</c> with <c>timeout</c>. Null: no limit beyond the runtime type's own (A1111's request timeout).
    /// </summary>
    [JsonPropertyName("maxExecutionSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxExecutionSeconds { get; set; }

    /// <summary>How the GPU tier runs this runtime: server image, resources, nodes, scaling. Not part of what the API publishes.</summary>
    [JsonPropertyName("gpu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RuntimeGpu? Gpu { get; init; }

    public bool Serves(string taskType) => TaskTypes.Contains(taskType, StringComparer.Ordinal);

    /// <summary>The canonical spelling of <paramref name="sampler"/>, or null when this runtime does not offer it.</summary>
    public string? CanonicalSampler(string sampler) =>
        Samplers.FirstOrDefault(known => string.Equals(known, sampler.Trim(), StringComparison.OrdinalIgnoreCase));
}
