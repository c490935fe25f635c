using System.Text.Json;
using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Tasks;

/// <summary>Generation parameters, named as in the AUTOMATIC1111 API.</summary>
public sealed record GenerationParameters
{
    [JsonPropertyName("prompt")] public string Prompt { get; init; } = "";
    [JsonPropertyName("negative_prompt")] public string? NegativePrompt { get; init; }
    [JsonPropertyName("width")] public int Width { get; init; } = 512;
    [JsonPropertyName("height")] public int Height { get; init; } = 512;
    [JsonPropertyName("steps")] public int Steps { get; init; } = 20;
    [JsonPropertyName("cfg_scale")] public float CfgScale { get; init; } = 7f;
    [JsonPropertyName("seed")] public long Seed { get; init; } = -1;
    [JsonPropertyName("sampler_name")] public string SamplerName { get; init; } = "Euler a";
    /// <summary>A1111 1.9+'s schedule for <c>sampler_name</c>: <c>Automatic</c>, <c>Uniform</c>, <c>Karras</c>, ...</summary>
    [JsonPropertyName("scheduler")] public string Scheduler { get; init; } = "Automatic";
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 1;

    /// <summary>A1111's <c>eta</c> for the ancestral and SDE samplers (null: 1) and DDIM (null: 0).</summary>
    [JsonPropertyName("eta")] public double? Eta { get; init; }

    /// <summary>A1111's <c>s_noise</c>: scale of the samplers' fresh noise.</summary>
    [JsonPropertyName("s_noise")] public double SNoise { get; init; } = 1;

    /// <summary>A1111's <c>s_churn</c> (Euler, Heun, DPM2); 0 is off.</summary>
    [JsonPropertyName("s_churn")] public double SChurn { get; init; }

    /// <summary>A1111's <c>s_tmin</c>: churn only at sigmas of at least this.</summary>
    [JsonPropertyName("s_tmin")] public double STmin { get; init; }

    /// <summary>A1111's <c>s_tmax</c>: churn only at sigmas of at most this; 0 means no bound.</summary>
    [JsonPropertyName("s_tmax")] public double STmax { get; init; }

    /// <summary>A1111's batch count: <c>n_iter × batch_size</c> images, seeds continuing from batch to batch.</summary>
    [JsonPropertyName("n_iter")] public int NIter { get; init; } = 1;
    [JsonPropertyName("denoising_strength")] public double DenoisingStrength { get; init; } = 0.75;

    /// <summary>A1111's variation seed; -1 picks one. Image n uses <c>subseed + n</c>.</summary>
    [JsonPropertyName("subseed")] public long Subseed { get; init; } = -1;

    /// <summary>0 (the seed's noise) to 1 (the variation seed's noise).</summary>
    [JsonPropertyName("subseed_strength")] public float SubseedStrength { get; init; }

    /// <summary>A1111's seed resize: the noise is drawn at this height and pasted centred; -1 or 0 for off.</summary>
    [JsonPropertyName("seed_resize_from_h")] public int SeedResizeFromH { get; init; } = -1;

    /// <summary>A1111's seed resize width; both must be set.</summary>
    [JsonPropertyName("seed_resize_from_w")] public int SeedResizeFromW { get; init; } = -1;

    /// <summary>onnx runtimes: the noise generator, <c>cpu</c> (PyTorch's CPU generator) or <c>nv</c> (A1111's NV source).</summary>
    [JsonPropertyName("rng")] public string Rng { get; init; } = "cpu";

    /// <summary>onnx runtimes: <c>per_image</c> (A1111: image n from seed + n) or <c>whole_batch</c> (ComfyUI's one draw).</summary>
    [JsonPropertyName("noise_layout")] public string NoiseLayout { get; init; } = "per_image";

    /// <summary>A1111's ENSD: ancestral samplers draw their step noise from generators seeded <c>seed + n + delta</c>.</summary>
    [JsonPropertyName("eta_noise_seed_delta")] public long EtaNoiseSeedDelta { get; init; }
    /// <summary>onnx runtimes: A1111's hires fix (a second pass at a larger size), from <c>hires</c> or A1111's <c>enable_hr</c> fields; null for one pass.</summary>
    [JsonPropertyName("hires")] public HiresParameters? Hires { get; init; }

    /// <summary>Data URLs or base64, <c>s3://</c> in the input bucket, or <c>https://</c> URLs.</summary>
    [JsonPropertyName("init_images")] public IReadOnlyList<string>? InitImages { get; init; }

    /// <summary>A1111's "Clip skip": 1 reads CLIP's last layer, n stops n layers from the end.</summary>
    [JsonPropertyName("clip_skip")] public int ClipSkip { get; init; } = 1;

    /// <summary>A1111's emphasis mode ("Original", "No norm", "Ignore", "None"); null: the default, "Original".</summary>
    [JsonPropertyName("emphasis")] public string? Emphasis { get; init; }

    /// <summary>A1111 runtimes: the request's other A1111 fields (<c>restore_faces</c>, <c>enable_hr</c>, <c>override_settings</c>, ...), passed to AUTOMATIC1111 unchanged.</summary>
    [JsonPropertyName("a1111_fields")] public JsonElement? A1111Fields { get; init; }

    /// <summary>A1111 runtimes: passed to AUTOMATIC1111 unchanged (extensions such as ControlNet read it).</summary>
    [JsonPropertyName("alwayson_scripts")] public JsonElement? AlwaysOnScripts { get; init; }

    /// <summary>A1111 runtimes with dynamic models: the checkpoint to load for this task.</summary>
    [JsonPropertyName("sd_model_checkpoint")] public string? ModelCheckpoint { get; init; }

    /// <summary><c>extra-single-image</c>: the A1111 upscaler (for example <c>R-ESRGAN 4x+</c>).</summary>
    [JsonPropertyName("upscaler_1")] public string? Upscaler { get; init; }

    /// <summary><c>extra-single-image</c>: the scale factor.</summary>
    [JsonPropertyName("upscaling_resize")] public double? UpscalingResize { get; init; }

    /// <summary><c>comfyui-workflow</c>: the workflow in ComfyUI's API format (node id → <c>class_type</c>, <c>inputs</c>).</summary>
    [JsonPropertyName("workflow")] public JsonElement? Workflow { get; init; }

    /// <summary><c>comfyui-workflow</c>: images the workflow loads by name.</summary>
    [JsonPropertyName("inputs")] public IReadOnlyList<WorkflowInput>? Inputs { get; init; }
}
