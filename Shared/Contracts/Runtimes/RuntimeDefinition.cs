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

    /// <summary>The largest input image (init image, ComfyUI input, upload) in bytes; refused at submit for uploads, and by the worker for every input.</summary>
    [JsonPropertyName("maxInputBytes")] public long MaxInputBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>The most megapixels (width × height / 10⁶) of an input image, read from its header when the task starts; over it the task fails as its own fault.</summary>
    [JsonPropertyName("maxInputMegapixels")] public double MaxInputMegapixels { get; set; } = 16.777216;

    /// <summary>What a task costs on this runtime, for the usage records; null where no price is set.</summary>
    [JsonPropertyName("price")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RuntimePrice? Price { get; set; }

    /// <summary>The input pixel limit as a whole number of pixels.</summary>
    public long MaxInputPixels => (long)Math.Floor(MaxInputMegapixels * 1_000_000);

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

    /// <summary>comfyui: the node classes a workflow may use and the outputs it may save; absent: <see cref="RuntimeWorkflows.Default"/>.</summary>
    [JsonPropertyName("workflows")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RuntimeWorkflows? Workflows { get; init; }

    /// <summary>What a workflow on this runtime may do: its <see cref="Workflows"/>, else the defaults.</summary>
    [JsonIgnore]
    public RuntimeWorkflows EffectiveWorkflows => Workflows ?? RuntimeWorkflows.Default;

    public bool Serves(string taskType) => TaskTypes.Contains(taskType, StringComparer.Ordinal);

    /// <summary>The canonical spelling of <paramref name="sampler"/>, or null when this runtime does not offer it.</summary>
    public string? CanonicalSampler(string sampler) =>
        Samplers.FirstOrDefault(known => string.Equals(known, sampler.Trim(), StringComparison.OrdinalIgnoreCase));
}
