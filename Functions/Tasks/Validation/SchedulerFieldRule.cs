using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// A1111 1.9+'s <c>scheduler</c>: one of its schedule labels (or their lower-case names, <c>sgm_uniform</c>), passed
/// on as the label. Whether a runtime's sampler runs that schedule is the worker's answer (an input error naming both).
/// </summary>
public static class SchedulerFieldRule
{
    public static IReadOnlyList<string> Labels { get; } =
        ["Automatic", "Uniform", "Karras", "Exponential", "Polyexponential", "SGM Uniform", "KL Optimal", "Align Your Steps", "Simple", "Normal", "DDIM", "Beta"];

    /// <summary>An A1111 combined name (<c>DPM++ SDE Karras</c>) as sampler and schedule label; null when it ends in no label.</summary>
    public static (string Sampler, string Schedule)? SplitCombinedName(string samplerName)
    {
        var name = samplerName.Trim();
        var label = Labels.Where(l => l != "Automatic").OrderByDescending(l => l.Length)
            .FirstOrDefault(l => name.EndsWith(" " + l, StringComparison.OrdinalIgnoreCase));
        return label is null ? null : (name[..^(label.Length + 1)].TrimEnd(), label);
    }

    public static GenerationParameters Apply(SubmitTaskRequest request, GenerationParameters parameters, string prefix, ValidationErrors errors)
    {
        if (request.Scheduler is not { } given)
        {
            return parameters;
        }

        var label = Find(given);
        if (label is null)
        {
            errors.Add(prefix + "scheduler", $"Unknown scheduler '{CallerText.Shorten(given)}'; A1111's are: {string.Join(", ", Labels)}.");
            return parameters;
        }

        return parameters with { Scheduler = label };
    }

    /// <summary>The label <paramref name="given"/> names (case-insensitive, or its lower-case name); null when none.</summary>
    public static string? Find(string given) =>
        Labels.FirstOrDefault(l => l.Equals(given.Trim(), StringComparison.OrdinalIgnoreCase)
            || l.Replace(' ', '_').Equals(given.Trim(), StringComparison.OrdinalIgnoreCase));
}
