using System.Text.Json;
using System.Text.RegularExpressions;
using SdServerless.Contracts.Runtimes;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// Enforces the runtime type's <see cref="A1111FieldTables"/> at submit: a refused field with a value that would change
/// the image is named in a 422; clip skip and the emphasis mode are read (natively or from <c>override_settings</c>);
/// LoRA and hypernetwork tags in a prompt are refused where the runtime cannot apply them; and for A1111 runtimes every
/// other A1111 field is kept to be passed on.
/// </summary>
public static partial class A1111FieldRules
{
    public const int MinClipSkip = 1;
    public const int MaxClipSkip = 12;
    public static readonly IReadOnlyList<string> EmphasisModes = ["Original", "No norm", "Ignore", "None"];

    public static PromptSettings Check(SubmitTaskRequest request, RuntimeDefinition runtime, string prefix, ValidationErrors errors)
    {
        var table = A1111FieldTables.For(runtime.Type);
        var on = $"on {runtime.Type} runtime '{runtime.Name}'";
        var others = request.OtherFields ?? [];
        // The neutral-value rules look at the fields beside each one; sampler_name is one of ours (A1111 prefers it to sampler_index).
        var all = request.SamplerName is { } sampler
            ? new Dictionary<string, JsonElement>(others, StringComparer.Ordinal) { ["sampler_name"] = JsonSerializer.SerializeToElement(sampler, FunctionsJsonContext.Default.String) }
            : others;
        foreach (var (name, value) in others)
        {
            if (table.TryGetValue(name, out var handling) && handling == FieldHandling.Refused && !A1111NeutralValues.IsNeutral(name, value, all))
            {
                errors.Add(prefix + name, $"{name} is not available {on}: it would change the image and this runtime cannot do what it asks. Leave it out (or send A1111's default); GET /v1/runtimes lists what each runtime honours.");
            }
        }

        var settings = CheckOverrideSettings(request.OverrideSettings, table, runtime, on, prefix, errors);
        var clipSkip = request.ClipSkip;
        if (clipSkip is { } skip && (skip < MinClipSkip || skip > MaxClipSkip))
        {
            errors.Add(prefix + "clip_skip", $"clip_skip must be {MinClipSkip} to {MaxClipSkip}; got {skip}.");
        }
        else if (clipSkip is { } native && settings.ClipSkip is { } overridden && native != overridden)
        {
            errors.Add(prefix + "clip_skip", $"clip_skip {native} disagrees with override_settings.CLIP_stop_at_last_layers {overridden}; send one.");
        }

        if (runtime.Type != RuntimeTypes.A1111)
        {
            CheckExtraNetworks(request.Prompt, prefix + "prompt", on, errors);
            CheckExtraNetworks(request.NegativePrompt, prefix + "negative_prompt", on, errors);
        }

        return new PromptSettings(
            clipSkip ?? settings.ClipSkip ?? 1,
            settings.Emphasis,
            runtime.Type == RuntimeTypes.A1111 ? PassedOn(others, request.OverrideSettings) : null);
    }

    private static (int? ClipSkip, string? Emphasis) CheckOverrideSettings(
        JsonElement? overrideSettings, IReadOnlyDictionary<string, FieldHandling> table, RuntimeDefinition runtime, string on, string prefix, ValidationErrors errors)
    {
        if (overrideSettings is not { } settings || settings.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return (null, null);
        }

        if (settings.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix + "override_settings", "override_settings must be a JSON object of A1111 settings.");
            return (null, null);
        }

        int? clipSkip = null;
        string? emphasis = null;
        foreach (var setting in settings.EnumerateObject())
        {
            var field = prefix + A1111FieldTables.OverrideSettingsPrefix + setting.Name;
            var known = table.TryGetValue(A1111FieldTables.OverrideSettingsPrefix + setting.Name, out var handling);
            if (setting.Name == "CLIP_stop_at_last_layers")
            {
                clipSkip = setting.Value.ValueKind == JsonValueKind.Number && setting.Value.TryGetInt32(out var skip) && skip is >= MinClipSkip and <= MaxClipSkip
                    ? skip
                    : Invalid(errors, field, $"CLIP_stop_at_last_layers must be a whole number from {MinClipSkip} to {MaxClipSkip}.");
            }
            else if (setting.Name == "emphasis")
            {
                emphasis = setting.Value.ValueKind == JsonValueKind.String && EmphasisModes.FirstOrDefault(mode => string.Equals(mode, setting.Value.GetString(), StringComparison.OrdinalIgnoreCase)) is { } mode
                    ? mode
                    : Invalid<string>(errors, field, $"emphasis must be one of: {string.Join(", ", EmphasisModes)}.");
            }
            else if (runtime.Type != RuntimeTypes.A1111 && (!known || handling == FieldHandling.Refused))
            {
                errors.Add(field, $"override_settings.{CallerText.Shorten(setting.Name, 60)} is not available {on}: this runtime honours only the settings GET /v1/runtimes lists.");
            }
        }

        return (clipSkip, emphasis);
    }

    /// <summary>A1111's extra networks that change the model: <c>&lt;lora:name:weight&gt;</c>, <c>&lt;lyco:...&gt;</c>, <c>&lt;hypernet:...&gt;</c>.</summary>
    private static void CheckExtraNetworks(string? prompt, string field, string on, ValidationErrors errors)
    {
        if (prompt is not null && ExtraNetworkTag().Match(prompt) is { Success: true } tag)
        {
            errors.Add(field, $"{field[(field.LastIndexOf('.') + 1)..]} has '{CallerText.Shorten(tag.Value, 60)}': LoRA and hypernetwork tags are not available {on} (an a1111 runtime applies them). Remove the tag.");
        }
    }

    /// <summary>For an A1111 runtime: the request's other fields and its settings, passed on unchanged.</summary>
    private static JsonElement? PassedOn(IReadOnlyDictionary<string, JsonElement> others, JsonElement? overrideSettings)
    {
        var fields = new Dictionary<string, JsonElement>(others, StringComparer.Ordinal);
        if (overrideSettings is { ValueKind: JsonValueKind.Object } settings)
        {
            fields["override_settings"] = settings;
        }

        return fields.Count == 0
            ? null
            : JsonSerializer.SerializeToElement(fields, FunctionsJsonContext.Default.DictionaryStringJsonElement);
    }

    private static int? Invalid(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }

    private static T? Invalid<T>(ValidationErrors errors, string field, string message) where T : class
    {
        errors.Add(field, message);
        return null;
    }

    [GeneratedRegex(@"<\s*(lora|lyco|locon|hypernet)\s*:[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExtraNetworkTag();
}
