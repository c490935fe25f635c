using System.Text.Json;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Submission;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// The hires fix on onnx runtimes: the native <c>hires</c> object, or A1111's flat fields (<c>enable_hr</c> with
/// <c>hr_scale</c>, <c>hr_resize_x/y</c>, <c>hr_upscaler</c>, <c>hr_second_pass_steps</c>, <c>hr_sampler_name</c>,
/// <c>hr_scheduler</c>, <c>hr_prompt</c>, <c>hr_negative_prompt</c>), normalized into <see cref="HiresParameters"/>.
/// The runtime's size rule applies to the final size. On a1111 runtimes the flat fields reach AUTOMATIC1111 unchanged.
/// </summary>
public static class HiresFieldRule
{
    /// <summary>A1111's "same as the first pass" values of <c>hr_sampler_name</c> and <c>hr_scheduler</c>.</summary>
    private static readonly string[] SameAsFirstPass = ["", "Use same sampler", "Use same scheduler"];

    public static GenerationParameters Apply(SubmitTaskRequest request, GenerationParameters parameters, RuntimeDefinition runtime, string? taskType, string prefix, ValidationErrors errors)
    {
        var others = request.OtherFields ?? [];
        var enabled = others.TryGetValue("enable_hr", out var enable) && enable.ValueKind == JsonValueKind.True;
        if (enable.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(prefix + "enable_hr", "enable_hr must be true or false.");
        }

        if (runtime.Type != RuntimeTypes.Onnx)
        {
            if (request.Hires is not null)
            {
                errors.Add(prefix + "hires", $"hires applies to onnx runtimes; '{runtime.Name}' is {runtime.Type} (an a1111 runtime takes A1111's enable_hr fields).");
            }

            return parameters;
        }

        if (enabled && request.Hires is not null)
        {
            errors.Add(prefix + "hires", "Send either hires or A1111's enable_hr fields, not both.");
            return parameters;
        }

        var native = request.Hires is not null;
        Func<string, string> field = native ? name => $"{prefix}hires.{name}" : name => $"{prefix}hr_{name}";
        var hires = request.Hires ?? (enabled ? ReadFlat(others, prefix, errors) : null);
        if (hires is null)
        {
            return parameters;
        }

        if (taskType != TaskTypes.TextToImage)
        {
            errors.Add(prefix + (native ? "hires" : "enable_hr"), "The hires fix applies to text-to-image tasks only, as in A1111.");
            return parameters;
        }

        return parameters with { Hires = Check(hires, parameters, runtime, field, errors) };
    }

    private static HiresParameters Check(HiresParameters hires, GenerationParameters parameters, RuntimeDefinition runtime, Func<string, string> field, ValidationErrors errors)
    {
        var on = $"on runtime '{runtime.Name}'";
        hires = hires with { Scale = hires.Scale ?? HiresParameters.DefaultScale };
        var scale = hires.Scale ?? HiresParameters.DefaultScale;
        var upscaler = HiresUpscalerNames.Find(hires.Upscaler);
        if (upscaler is null)
        {
            errors.Add(field("upscaler"), $"{field("upscaler")} '{CallerText.Shorten(hires.Upscaler ?? "")}' is not available {on}: it runs {string.Join(", ", HiresUpscalerNames.All)}; model upscalers (ESRGAN, SwinIR, LDSR, ...) need an a1111 runtime.");
        }

        if (!hires.Resized && (!double.IsFinite(scale) || scale <= 0 || scale > SubmissionValidator.MaxUpscale))
        {
            errors.Add(field("scale"), $"{field("scale")} must be more than 0 and at most {SubmissionValidator.MaxUpscale}; got {scale}.");
        }

        foreach (var (name, value) in new[] { ("resize_x", hires.ResizeX), ("resize_y", hires.ResizeY) })
        {
            if (value < 0 || value > runtime.Size.Max)
            {
                errors.Add(field(name), $"{field(name)} must be 0 (follow the other side or the scale) to {runtime.Size.Max} {on}; got {value}.");
            }
        }

        if (hires.SecondPassSteps < 0 || hires.SecondPassSteps > runtime.MaxSteps)
        {
            errors.Add(field("second_pass_steps"), $"{field("second_pass_steps")} must be 0 (as many as steps) to {runtime.MaxSteps} {on}; got {hires.SecondPassSteps}.");
        }

        string? sampler = null;
        if (hires.SamplerName is { } given && !SameAsFirstPass.Contains(given.Trim()))
        {
            sampler = runtime.CanonicalSampler(given);
            if (sampler is null)
            {
                errors.Add(field("sampler_name"), $"Unsupported sampler '{CallerText.Shorten(given)}' {on}; supported: {string.Join(", ", runtime.Samplers)}.");
            }
        }

        string? scheduler = null;
        if (hires.Scheduler is { } schedule && !SameAsFirstPass.Contains(schedule.Trim()))
        {
            scheduler = SchedulerFieldRule.Find(schedule);
            if (scheduler is null)
            {
                errors.Add(field("scheduler"), $"Unknown scheduler '{CallerText.Shorten(schedule)}'; A1111's are: {string.Join(", ", SchedulerFieldRule.Labels)}.");
            }
        }

        foreach (var (name, value) in new[] { ("prompt", hires.Prompt), ("negative_prompt", hires.NegativePrompt) })
        {
            if (value is { Length: > InputLimits.MaxPromptLength })
            {
                errors.Add(field(name), $"{field(name)} is {value.Length} characters; at most {InputLimits.MaxPromptLength} are allowed.");
            }
        }

        // The runtime's size rule applies to the final size, named by the field that set it.
        if (scale is > 0 and <= SubmissionValidator.MaxUpscale || hires.Resized)
        {
            var target = HiresTarget.Calculate(parameters.Width, parameters.Height, scale, Math.Max(hires.ResizeX, 0), Math.Max(hires.ResizeY, 0));
            if (!runtime.Size.Allows(target.Width) || !runtime.Size.Allows(target.Height))
            {
                var cause = !hires.Resized ? "scale" : hires.ResizeX != 0 ? "resize_x" : "resize_y";
                errors.Add(field(cause), $"The hires fix's final size {target.Width}x{target.Height} must have sides {runtime.Size.Describe()} {on}.");
            }
        }

        return hires with { Upscaler = upscaler ?? hires.Upscaler, SamplerName = sampler, Scheduler = scheduler };
    }

    /// <summary>A1111's flat <c>hr_*</c> fields as the native object; a value of the wrong type is named.</summary>
    private static HiresParameters? ReadFlat(IReadOnlyDictionary<string, JsonElement> others, string prefix, ValidationErrors errors)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in others)
        {
            if (name.StartsWith("hr_", StringComparison.Ordinal) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                fields[name[3..]] = value;
            }
        }

        try
        {
            return JsonSerializer.SerializeToElement(fields, FunctionsJsonContext.Default.DictionaryStringJsonElement)
                .Deserialize(FunctionsJsonContext.Default.HiresParameters);
        }
        catch (JsonException ex)
        {
            errors.Add($"{prefix}hr_{JsonBody.FieldOf(ex.Path)}", "has a value of the wrong type.");
            return null;
        }
    }
}
