using System.Text.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// How the seed becomes noise: A1111's variation seed, seed resize and ENSD, and the generator. The generator comes
/// from <c>rng</c>, else A1111's <c>override_settings.randn_source</c> (<c>GPU</c> and <c>NV</c> draw as <c>nv</c>,
/// <c>CPU</c> as <c>cpu</c>), else the route's default (docs/decisions/0402).
/// </summary>
public static class NoiseFieldsRule
{
    /// <summary>The generator on <c>/v1/tasks</c>: bit-exact with PyTorch on the CPU, as ComfyUI draws.</summary>
    public const string NativeDefaultRng = "cpu";

    /// <summary>The generator on <c>/v1alpha2</c>, whose bodies are A1111's: A1111's default source is the GPU's, which <c>nv</c> reproduces.</summary>
    public const string A1111DefaultRng = "nv";

    /// <summary>The most batches (<c>n_iter</c>) one task may ask for, as the onnx engine allows.</summary>
    public const int MaxBatchCount = 16;

    private static readonly string[] Rngs = ["cpu", "nv"];
    private static readonly string[] Layouts = ["per_image", "whole_batch"];

    public static GenerationParameters Apply(SubmitTaskRequest request, GenerationParameters parameters, string defaultRng, string prefix, ValidationErrors errors)
    {
        var defaults = new GenerationParameters();
        var settings = request.OverrideSettings is { ValueKind: JsonValueKind.Object } o ? o : (JsonElement?)null;
        var rng = request.Rng ?? RandnSource(settings, prefix, errors) ?? defaultRng;
        if (!Rngs.Contains(rng))
        {
            errors.Add(prefix + "rng", $"rng must be one of {string.Join(", ", Rngs)}; got '{CallerText.Shorten(rng)}'.");
        }

        var layout = request.NoiseLayout ?? defaults.NoiseLayout;
        if (!Layouts.Contains(layout))
        {
            errors.Add(prefix + "noise_layout", $"noise_layout must be one of {string.Join(", ", Layouts)}; got '{CallerText.Shorten(layout)}'.");
        }

        var result = parameters with
        {
            Subseed = request.Subseed ?? defaults.Subseed,
            SubseedStrength = request.SubseedStrength ?? defaults.SubseedStrength,
            SeedResizeFromH = request.SeedResizeFromH ?? defaults.SeedResizeFromH,
            SeedResizeFromW = request.SeedResizeFromW ?? defaults.SeedResizeFromW,
            Rng = rng,
            NoiseLayout = layout,
            EtaNoiseSeedDelta = EtaNoiseSeedDelta(settings, prefix, errors),
            NIter = request.NIter ?? defaults.NIter,
        };
        if (result.NIter is < 1 or > MaxBatchCount)
        {
            errors.Add(prefix + "n_iter", $"n_iter must be 1 to {MaxBatchCount}; got {result.NIter}.");
        }

        if (result.Subseed != -1 && result.Subseed is < 0 or > InputLimits.MaxSeed)
        {
            errors.Add(prefix + "subseed", $"subseed must be -1 (random) or 0 to {InputLimits.MaxSeed}; got {result.Subseed}.");
        }

        if (!float.IsFinite(result.SubseedStrength) || result.SubseedStrength is < 0 or > 1)
        {
            errors.Add(prefix + "subseed_strength", $"subseed_strength must be 0 to 1; got {result.SubseedStrength}.");
        }

        foreach (var (name, value) in new[] { ("seed_resize_from_h", result.SeedResizeFromH), ("seed_resize_from_w", result.SeedResizeFromW) })
        {
            if (value is < -1 or > InputLimits.MaxSeedResize)
            {
                errors.Add(prefix + name, $"{name} must be -1 or 0 (off) or up to {InputLimits.MaxSeedResize}; got {value}.");
            }
        }

        return result;
    }

    private static string? RandnSource(JsonElement? settings, string prefix, ValidationErrors errors)
    {
        if (settings is not { } s || !s.TryGetProperty("randn_source", out var source))
        {
            return null;
        }

        var name = source.ValueKind == JsonValueKind.String ? source.GetString()! : source.GetRawText();
        switch (name)
        {
            case "GPU" or "NV":
                return "nv";
            case "CPU":
                return "cpu";
            default:
                errors.Add(prefix + "override_settings.randn_source", $"randn_source must be GPU, CPU or NV; got '{CallerText.Shorten(name)}'.");
                return null;
        }
    }

    private static long EtaNoiseSeedDelta(JsonElement? settings, string prefix, ValidationErrors errors)
    {
        if (settings is not { } s || !s.TryGetProperty("eta_noise_seed_delta", out var delta))
        {
            return 0;
        }

        if (delta.ValueKind == JsonValueKind.Number && delta.TryGetInt64(out var value) && Math.Abs(value) <= InputLimits.MaxSeed)
        {
            return value;
        }

        errors.Add(prefix + "override_settings.eta_noise_seed_delta", $"eta_noise_seed_delta must be a whole number from -{InputLimits.MaxSeed} to {InputLimits.MaxSeed}.");
        return 0;
    }
}
