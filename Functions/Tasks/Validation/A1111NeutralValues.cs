using System.Text.Json;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// For each AUTOMATIC1111 field, the values with which A1111 leaves the image as it would be without the field (its
/// defaults, or values that only matter together with another field), so that clients sending A1111's full default body
/// are not refused. A field missing here has no neutral value but null.
/// </summary>
public static class A1111NeutralValues
{
    private static readonly IReadOnlyDictionary<string, Func<JsonElement, IReadOnlyDictionary<string, JsonElement>, bool>> Rules =
        new Dictionary<string, Func<JsonElement, IReadOnlyDictionary<string, JsonElement>, bool>>(StringComparer.Ordinal)
        {
            ["styles"] = (value, _) => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0,
            ["subseed"] = (_, all) => !Set(all, "subseed_strength"),
            ["subseed_strength"] = (value, _) => Is(value, 0),
            ["seed_resize_from_h"] = (value, _) => AtMost(value, 0),
            ["seed_resize_from_w"] = (value, _) => AtMost(value, 0),
            ["scheduler"] = (value, _) => value.ValueKind == JsonValueKind.String && value.GetString() is "" or "Automatic",
            ["n_iter"] = (value, _) => Is(value, 1),
            ["restore_faces"] = (value, _) => value.ValueKind == JsonValueKind.False,
            ["tiling"] = (value, _) => value.ValueKind == JsonValueKind.False,
            ["s_min_uncond"] = (value, _) => Is(value, 0),
            ["s_churn"] = (value, _) => Is(value, 0),
            ["s_tmin"] = (value, _) => Is(value, 0),
            ["s_tmax"] = (value, _) => Is(value, 0),
            ["s_noise"] = (value, _) => Is(value, 1),
            ["refiner_checkpoint"] = (value, _) => value.ValueKind == JsonValueKind.String && value.GetString() is "" or "None",
            ["refiner_switch_at"] = (_, all) => !Set(all, "refiner_checkpoint"),
            ["enable_hr"] = (value, _) => value.ValueKind == JsonValueKind.False,
            ["hr_checkpoint_name"] = (value, _) => value.ValueKind == JsonValueKind.String && value.GetString() is "" or "Use same checkpoint",
            ["script_name"] = (value, _) => value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0,
            ["script_args"] = (value, _) => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0,
            ["infotext"] = (value, _) => value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0,
            ["resize_mode"] = (value, _) => Is(value, 0),
            ["initial_noise_multiplier"] = (value, _) => Is(value, 1),
            ["inpainting_mask_invert"] = (value, _) => Is(value, 0),
            ["sampler_index"] = (_, all) => all.ContainsKey("sampler_name"),
        };

    /// <summary>Fields that do nothing unless <c>enable_hr</c> is true (the second pass) or a <c>mask</c> is given (inpainting).</summary>
    private static readonly (string Prefix, string Switch)[] Dependent =
    [
        ("hr_", "enable_hr"), ("firstphase_", "enable_hr"), ("mask_", "mask"), ("inpaint", "mask"),
    ];

    /// <summary>Whether <paramref name="name"/>'s value leaves the image unchanged, given the request's other fields.</summary>
    public static bool IsNeutral(string name, JsonElement value, IReadOnlyDictionary<string, JsonElement> all)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return true;
        }

        if (Rules.TryGetValue(name, out var rule))
        {
            return rule(value, all);
        }

        foreach (var (prefix, @switch) in Dependent)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && name != @switch)
            {
                return !Set(all, @switch) || (@switch == "mask" && name == "inpainting_mask_invert");
            }
        }

        return false;
    }

    /// <summary>A switch is set when it is present with a value that is not its neutral one.</summary>
    private static bool Set(IReadOnlyDictionary<string, JsonElement> all, string name) =>
        all.TryGetValue(name, out var value) && !IsNeutral(name, value, all);

    private static bool Is(JsonElement value, double expected) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number == expected;

    private static bool AtMost(JsonElement value, double limit) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number <= limit;
}
