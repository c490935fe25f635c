using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Tasks;

/// <summary>
/// AUTOMATIC1111's hires fix: a second image-to-image pass at a larger size, with the task's <c>denoising_strength</c>.
/// Each field is A1111's <c>hr_*</c> field without the prefix; on <c>/v1alpha2</c> A1111's flat fields
/// (<c>enable_hr</c>, <c>hr_scale</c>, ...) say the same.
/// </summary>
public sealed record HiresParameters
{
    /// <summary>A1111's default <c>hr_scale</c>.</summary>
    public const double DefaultScale = 2.0;

    /// <summary>The target is the first pass's size times this (null: 2), unless <c>resize_x</c> or <c>resize_y</c> is given.</summary>
    [JsonPropertyName("scale")] public double? Scale { get; init; }

    /// <summary>The target width; 0 follows <c>resize_y</c> (keeping the aspect ratio) or the scale.</summary>
    [JsonPropertyName("resize_x")] public int ResizeX { get; init; }

    /// <summary>The target height; with both given the first pass is upscaled to cover them and cropped.</summary>
    [JsonPropertyName("resize_y")] public int ResizeY { get; init; }

    /// <summary>One of <see cref="HiresUpscalerNames.All"/> (null: <c>Latent</c>): the <c>Latent</c> family upscales the latents, <c>Lanczos</c> and <c>Nearest</c> the decoded image.</summary>
    [JsonPropertyName("upscaler")] public string? Upscaler { get; init; }

    /// <summary>The second pass's steps; 0 runs as many as <c>steps</c>.</summary>
    [JsonPropertyName("second_pass_steps")] public int SecondPassSteps { get; init; }

    /// <summary>The second pass's sampler; null for the first pass's.</summary>
    [JsonPropertyName("sampler_name")] public string? SamplerName { get; init; }

    /// <summary>The second pass's schedule (A1111 1.9+'s labels); null for the first pass's.</summary>
    [JsonPropertyName("scheduler")] public string? Scheduler { get; init; }

    /// <summary>The second pass's prompt; null or empty for the first pass's.</summary>
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }

    /// <summary>The second pass's negative prompt; null or empty for the first pass's.</summary>
    [JsonPropertyName("negative_prompt")] public string? NegativePrompt { get; init; }

    /// <summary>Whether the target comes from <c>resize_x/y</c> rather than the scale.</summary>
    [JsonIgnore] public bool Resized => ResizeX != 0 || ResizeY != 0;
}
