using System.Text.Json;
using System.Text.Json.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>The body of <c>POST /v1/tasks</c>: generation fields named as in the AUTOMATIC1111 API, plus routing and delivery.</summary>
public sealed record SubmitTaskRequest
{
    /// <summary>The model runtime to run on; the configured default when absent.</summary>
    [JsonPropertyName("runtime")] public string? Runtime { get; init; }

    /// <summary><c>text-to-image</c> (default) or <c>image-to-image</c>.</summary>
    [JsonPropertyName("task_type")] public string? TaskType { get; init; }

    [JsonPropertyName("prompt")] public string? Prompt { get; init; }

    [JsonPropertyName("negative_prompt")] public string? NegativePrompt { get; init; }

    [JsonPropertyName("width")] public int? Width { get; init; }

    [JsonPropertyName("height")] public int? Height { get; init; }

    [JsonPropertyName("steps")] public int? Steps { get; init; }

    [JsonPropertyName("cfg_scale")] public float? CfgScale { get; init; }

    /// <summary>-1 picks a random seed.</summary>
    [JsonPropertyName("seed")] public long? Seed { get; init; }

    [JsonPropertyName("sampler_name")] public string? SamplerName { get; init; }

    /// <summary>A1111 1.9+'s schedule for <c>sampler_name</c> (<c>Automatic</c>, <c>Uniform</c>, <c>Karras</c>, ...); combined sampler names such as <c>DPM++ 2M Karras</c> also work.</summary>
    [JsonPropertyName("scheduler")] public string? Scheduler { get; init; }

    [JsonPropertyName("batch_size")] public int? BatchSize { get; init; }

    /// <summary>A1111's batch count: <c>n_iter × batch_size</c> images (onnx runtimes: at most 16 batches).</summary>
    [JsonPropertyName("n_iter")] public int? NIter { get; init; }

    [JsonPropertyName("denoising_strength")] public double? DenoisingStrength { get; init; }

    /// <summary>A1111's variation seed; -1 picks one.</summary>
    [JsonPropertyName("subseed")] public long? Subseed { get; init; }

    /// <summary>0 to 1: how far the noise moves toward the variation seed's.</summary>
    [JsonPropertyName("subseed_strength")] public float? SubseedStrength { get; init; }

    [JsonPropertyName("seed_resize_from_h")] public int? SeedResizeFromH { get; init; }

    [JsonPropertyName("seed_resize_from_w")] public int? SeedResizeFromW { get; init; }

    /// <summary>onnx runtimes: <c>cpu</c> (default on <c>/v1/tasks</c>) or <c>nv</c> (default on <c>/v1alpha2</c>, A1111's default "GPU").</summary>
    [JsonPropertyName("rng")] public string? Rng { get; init; }

    /// <summary>onnx runtimes: <c>per_image</c> (default, A1111) or <c>whole_batch</c> (ComfyUI).</summary>
    [JsonPropertyName("noise_layout")] public string? NoiseLayout { get; init; }

    /// <summary>onnx runtimes, text-to-image: A1111's hires fix as one object (A1111's flat <c>enable_hr</c>, <c>hr_*</c> fields say the same; send one or the other).</summary>
    [JsonPropertyName("hires")] public HiresParameters? Hires { get; init; }

    /// <summary>image-to-image only: data URLs or base64, <c>s3://</c> in the input bucket, or <c>https://</c> URLs.</summary>
    [JsonPropertyName("init_images")] public List<string>? InitImages { get; init; }

    /// <summary>A1111's "Clip skip" (1 to 12); <c>override_settings.CLIP_stop_at_last_layers</c> says the same.</summary>
    [JsonPropertyName("clip_skip")] public int? ClipSkip { get; init; }

    /// <summary>A1111's settings for this request; each runtime type's field table says which keys it honours (the noise reads <c>randn_source</c> and <c>eta_noise_seed_delta</c>).</summary>
    [JsonPropertyName("override_settings")] public JsonElement? OverrideSettings { get; init; }

    /// <summary>Every other field (A1111's <c>restore_faces</c>, <c>enable_hr</c>, ...): judged by the runtime type's field table.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? OtherFields { get; set; }

    /// <summary>A1111 runtimes: passed to AUTOMATIC1111 unchanged.</summary>
    [JsonPropertyName("alwayson_scripts")] public JsonElement? AlwaysOnScripts { get; init; }

    /// <summary>A1111 runtimes with <c>dynamic_model</c>: the checkpoint to load for this task.</summary>
    [JsonPropertyName("sd_model_checkpoint")] public string? ModelCheckpoint { get; init; }

    /// <summary><c>extra-single-image</c>: the A1111 upscaler name (the image is <c>init_images[0]</c>).</summary>
    [JsonPropertyName("upscaler_1")] public string? Upscaler { get; init; }

    /// <summary><c>extra-single-image</c>: the scale factor, more than 1 and at most 8.</summary>
    [JsonPropertyName("upscaling_resize")] public double? UpscalingResize { get; init; }

    /// <summary><c>comfyui-workflow</c>: a ComfyUI workflow in API format (node id → <c>class_type</c>, <c>inputs</c>).</summary>
    [JsonPropertyName("workflow")] public JsonElement? Workflow { get; init; }

    /// <summary><c>comfyui-workflow</c>: images the workflow loads by name (<c>{"name":"in.png","image":"data:..."}</c>).</summary>
    [JsonPropertyName("inputs")] public List<WorkflowInput>? Inputs { get; init; }

    /// <summary>An https URL to POST Standard Webhooks notifications to.</summary>
    [JsonPropertyName("callback_url")] public string? CallbackUrl { get; init; }

    /// <summary>Which notifications to send: <c>start</c>, <c>progress</c>, <c>completed</c> (default <c>completed</c>).</summary>
    [JsonPropertyName("webhook_events")] public List<string>? WebhookEvents { get; init; }

    /// <summary>An RFC 3339 instant: not started by then, the task ends <c>expired</c>; still running then, <c>canceled</c>. The <c>Cancel-After</c> header says the same as a duration.</summary>
    [JsonPropertyName("deadline")] public string? Deadline { get; init; }

    /// <summary><c>low</c>, <c>normal</c> (default) or <c>high</c>: workers take high before normal before low.</summary>
    [JsonPropertyName("priority")] public string? Priority { get; init; }

    /// <summary>Seconds to keep the outputs, within the deployment's limits: rounded up to a retention class (1, 7 or 30 days by default), after which S3 deletes them. Without it, the bucket's default applies.</summary>
    [JsonPropertyName("expires_after")] public int? ExpiresAfter { get; init; }

    /// <summary>Any JSON object, echoed back with the task.</summary>
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
}
