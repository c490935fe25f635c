namespace SdServerless.GpuWorker.Diffusion.TinyModels;

/// <summary>How the UNet takes its timestep; real exporters differ.</summary>
public enum TimestepInput
{
    /// <summary>int64 <c>[batch]</c> (optimum's export).</summary>
    Int64Batch,

    /// <summary>float <c>[batch]</c>.</summary>
    FloatBatch,

    /// <summary>rank-0 float.</summary>
    FloatScalar,

    /// <summary>float <c>[1]</c> whatever the batch (ONNX Runtime's stable diffusion demo export).</summary>
    FloatSingle,
}

/// <summary>
/// The export variant a tiny model mirrors. The default matches an optimum fp32 export of Stable Diffusion 1.x:
/// int32 <c>input_ids</c>, int64 timestep, <c>latent_sample</c> from the VAE encoder, pad token <c>&lt;|endoftext|&gt;</c>.
/// <c>sdxl</c> and <c>sdxl-turbo</c> give the SDXL layout; the other options combine with them (e.g. <c>sdxl,fp16</c>).
/// </summary>
public sealed record TinyModelVariant
{
    public bool Int64InputIds { get; init; }

    public TimestepInput Timestep { get; init; } = TimestepInput.Int64Batch;

    public bool Float16 { get; init; }

    /// <summary>The VAE encoder returns <c>latent_parameters</c> (mean and log-variance) instead of <c>latent_sample</c>.</summary>
    public bool LatentParameters { get; init; }

    /// <summary>
    /// The VAE encoder draws its <c>latent_sample</c> inside the graph (mean + std * <c>RandomNormalLike</c>), as the
    /// older optimum and conversion-script exports do; its weights are those of <see cref="LatentParameters"/>.
    /// </summary>
    public bool SamplingVaeEncoder { get; init; }

    /// <summary>SD 2.x/Turbo pad with "!" (id 0); SD 1.x with <c>&lt;|endoftext|&gt;</c>.</summary>
    public bool PadWithExclamationMark { get; init; }

    /// <summary><c>scheduler_config.json</c>'s <c>timestep_spacing</c> (null: not written, each scheduler's default).</summary>
    public string? TimestepSpacing { get; init; }

    /// <summary>Leaves out <c>vae_encoder/</c>, as text-to-image-only exports do.</summary>
    public bool WithoutVaeEncoder { get; init; }

    /// <summary>SDXL-shaped: <c>text_encoder_2/</c> and <c>tokenizer_2/</c>, penultimate hidden states, a UNet with <c>text_embeds</c> and <c>time_ids</c>.</summary>
    public bool Sdxl { get; init; }

    /// <summary>SDXL-Turbo-shaped (with <see cref="Sdxl"/>): named "turbo", native 512, Euler ancestral with trailing spacing.</summary>
    public bool Turbo { get; init; }

    /// <summary>The UNet fixes <c>encoder_hidden_states</c> at 77 tokens (one prompt chunk), as some exports do.</summary>
    public bool FixedTokenAxis { get; init; }

    /// <summary>The text encoder leaves out the <c>hidden_states.N</c> outputs, as optimum's default SD 1.x export does.</summary>
    public bool WithoutHiddenStates { get; init; }

    /// <summary>
    /// Channels of a stack of <see cref="TinyModelGenerator.WideUnetBlocks"/> convolution and projection blocks added to
    /// the SD 1.x UNet (0: none, the tiny default), so that the UNet weighs what a memory measurement needs
    /// (<c>width=640</c>: about 260 MB). Its output is added to the tiny UNet's at a small scale.
    /// </summary>
    public int UnetWidth { get; init; }

    /// <summary>The UNet's float weights are written to <c>unet/model.onnx_data</c>, as large real exports are.</summary>
    public bool UnetExternalData { get; init; }

    public static TinyModelVariant Default { get; } = new();

    /// <summary>Parses a comma-separated list such as <c>fp16,int64-ids,float-timestep</c> (the CLI's <c>--variant</c>).</summary>
    public static TinyModelVariant Parse(string? text)
    {
        var variant = Default;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            variant = part.ToLowerInvariant() switch
            {
                "fp16" => variant with { Float16 = true },
                "int64-ids" => variant with { Int64InputIds = true },
                "float-timestep" => variant with { Timestep = TimestepInput.FloatBatch },
                "scalar-timestep" => variant with { Timestep = TimestepInput.FloatScalar },
                "single-timestep" => variant with { Timestep = TimestepInput.FloatSingle },
                "latent-parameters" => variant with { LatentParameters = true },
                "sampling-vae-encoder" => variant with { SamplingVaeEncoder = true },
                "sd2-pad" => variant with { PadWithExclamationMark = true },
                "trailing" => variant with { TimestepSpacing = "trailing" },
                "no-vae-encoder" => variant with { WithoutVaeEncoder = true },
                "fixed-tokens" => variant with { FixedTokenAxis = true },
                "no-hidden-states" => variant with { WithoutHiddenStates = true },
                "external-data" => variant with { UnetExternalData = true },
                "sdxl" => variant with { Sdxl = true },
                "sdxl-turbo" => variant with { Sdxl = true, Turbo = true },
                var width when width.StartsWith("width=", StringComparison.Ordinal) && int.TryParse(width["width=".Length..], out var channels) && channels > 0 =>
                    variant with { UnetWidth = channels },
                _ => throw new ArgumentException(
                    $"Unknown variant '{part}' (fp16, int64-ids, float-timestep, scalar-timestep, single-timestep, latent-parameters, sampling-vae-encoder, sd2-pad, trailing, no-vae-encoder, fixed-tokens, no-hidden-states, sdxl, sdxl-turbo, external-data, width=N)"),
            };
        }

        if (variant.Sdxl && variant.UnetWidth > 0)
        {
            throw new ArgumentException($"Variant '{text}': width=N widens the SD 1.x UNet only; the SDXL tiny model has no wide variant");
        }

        return variant;
    }
}
