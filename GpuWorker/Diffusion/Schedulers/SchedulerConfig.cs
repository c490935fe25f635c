using System.Text.Json;
using System.Text.Json.Serialization;

namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// <c>scheduler/scheduler_config.json</c> of a diffusers model. Names and defaults match the file; a key that a scheduler
/// class defaults differently (<c>timestep_spacing</c>, <c>clip_sample</c>, <c>set_alpha_to_one</c>) is null here and
/// each scheduler applies its own default, as diffusers does when a config is loaded into another scheduler class.
/// </summary>
public sealed record SchedulerConfig
{
    [JsonPropertyName("_class_name")] public string? ClassName { get; init; }
    [JsonPropertyName("num_train_timesteps")] public int NumTrainTimesteps { get; init; } = 1000;
    [JsonPropertyName("beta_start")] public double BetaStart { get; init; } = 0.0001;
    [JsonPropertyName("beta_end")] public double BetaEnd { get; init; } = 0.02;
    [JsonPropertyName("beta_schedule")] public string BetaSchedule { get; init; } = "linear";
    [JsonPropertyName("trained_betas")] public double[]? TrainedBetas { get; init; }
    [JsonPropertyName("prediction_type")] public string PredictionType { get; init; } = "epsilon";
    [JsonPropertyName("steps_offset")] public int StepsOffset { get; init; }
    [JsonPropertyName("timestep_spacing")] public string? TimestepSpacing { get; init; }
    [JsonPropertyName("set_alpha_to_one")] public bool? SetAlphaToOne { get; init; }
    [JsonPropertyName("clip_sample")] public bool? ClipSample { get; init; }
    [JsonPropertyName("clip_sample_range")] public double ClipSampleRange { get; init; } = 1.0;
    [JsonPropertyName("rescale_betas_zero_snr")] public bool RescaleBetasZeroSnr { get; init; }
    [JsonPropertyName("use_karras_sigmas")] public bool? UseKarrasSigmas { get; init; }
    [JsonPropertyName("use_exponential_sigmas")] public bool? UseExponentialSigmas { get; init; }
    [JsonPropertyName("use_beta_sigmas")] public bool? UseBetaSigmas { get; init; }
    [JsonPropertyName("final_sigmas_type")] public string? FinalSigmasType { get; init; }
    [JsonPropertyName("interpolation_type")] public string? InterpolationType { get; init; }
    [JsonPropertyName("timestep_type")] public string? TimestepType { get; init; }
    [JsonPropertyName("sigma_min")] public double? SigmaMin { get; init; }
    [JsonPropertyName("sigma_max")] public double? SigmaMax { get; init; }
    [JsonPropertyName("thresholding")] public bool? Thresholding { get; init; }

    /// <summary>Stable Diffusion 1.x's published configuration (also the tiny models' one).</summary>
    public static SchedulerConfig StableDiffusion1 { get; } = new()
    {
        ClassName = "PNDMScheduler",
        BetaStart = 0.00085,
        BetaEnd = 0.012,
        BetaSchedule = "scaled_linear",
        StepsOffset = 1,
        SetAlphaToOne = false,
        ClipSample = false,
    };

    /// <summary>SDXL base 1.0's published configuration: Euler, <c>leading</c> spacing.</summary>
    public static SchedulerConfig StableDiffusionXL { get; } = StableDiffusion1 with
    {
        ClassName = "EulerDiscreteScheduler",
        TimestepSpacing = "leading",
        InterpolationType = "linear",
        UseKarrasSigmas = false,
    };

    /// <summary>SDXL-Turbo's published configuration: Euler ancestral, <c>trailing</c> spacing (its 1 to 4 steps start at timestep 999).</summary>
    public static SchedulerConfig StableDiffusionXLTurbo { get; } = StableDiffusionXL with
    {
        ClassName = "EulerAncestralDiscreteScheduler",
        TimestepSpacing = "trailing",
    };

    public static SchedulerConfig Parse(string json) =>
        JsonSerializer.Deserialize<SchedulerConfig>(json, SerializerOptions)
        ?? throw new JsonException("scheduler_config.json is empty (null)");

    public static JsonSerializerOptions SerializerOptions { get; } = new()
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
