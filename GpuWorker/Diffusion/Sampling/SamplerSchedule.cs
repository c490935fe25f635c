using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;
namespace SdServerless.GpuWorker.Diffusion.Sampling;

/// <summary>
/// A sampler and its sigma schedule by AUTOMATIC1111 1.9+'s names: <c>sampler_name</c> plus <c>scheduler</c>
/// (<c>Automatic</c>, <c>Uniform</c>, <c>Karras</c>, ...), or the older combined names (<c>DPM++ 2M Karras</c>).
/// <c>Automatic</c> resolves as A1111 1.10 resolves it: the sampler's own default (Karras for DPM++ 2M, DPM++ SDE,
/// DPM++ 2S a, DPM2 and DPM2 a; Exponential for DPM++ 2M SDE), else Uniform.
/// </summary>
public sealed record SamplerSchedule(string Sampler, string Schedule)
{
    public const string Automatic = "Automatic";
    public const string Uniform = "Uniform";
    public const string Karras = "Karras";
    public const string Exponential = "Exponential";

    /// <summary>A1111's schedule labels; the ones a sampler here can run are in <see cref="Supported"/>.</summary>
    public static IReadOnlyList<string> A1111Schedules { get; } =
        [Automatic, Uniform, Karras, Exponential, "Polyexponential", "SGM Uniform", "KL Optimal", "Align Your Steps", "Simple", "Normal", "DDIM", "Beta"];

    /// <summary>The schedules the k-diffusion samplers run (A1111's, less Beta and Align Your Steps).</summary>
    private static readonly string[] KSchedules = [.. SigmaSchedules.Labels];

    /// <summary>Samplers by their A1111 names, with the schedules each runs here (the first is what Automatic gives).</summary>
    private static readonly Dictionary<string, string[]> Supported = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Euler a"] = KSchedules,
        ["Euler"] = KSchedules,
        ["LMS"] = [Uniform, Karras],
        ["Heun"] = KSchedules,
        ["DPM2"] = [Karras, .. KSchedules.Except([Karras])],
        ["DPM2 a"] = [Karras, .. KSchedules.Except([Karras])],
        ["DPM++ 2S a"] = [Karras, .. KSchedules.Except([Karras])],
        ["DPM++ 2M"] = [Karras, .. KSchedules.Except([Karras])],
        ["DPM++ SDE"] = [Karras, .. KSchedules.Except([Karras])],
        ["DPM++ 2M SDE"] = [Exponential, .. KSchedules.Except([Exponential])],
        ["DPM++ 2M SDE Heun"] = [Exponential, .. KSchedules.Except([Exponential])],
        ["DDIM"] = [Uniform],
        ["LCM"] = [Uniform],
        ["UniPC"] = [Uniform],
    };

    /// <summary>A1111 samplers not built here, refused by name.</summary>
    public static IReadOnlyList<string> NotBuilt { get; } = ["DPM fast", "DPM adaptive", "Restart", "DPM++ 3M SDE", "PLMS"];

    public static IReadOnlyCollection<string> Samplers => Supported.Keys;

    /// <summary>The name the engine's scheduler factory builds (<c>DPM++ 2M Karras</c>, <c>Euler</c>); Euler and LMS take Karras from the config.</summary>
    public string CombinedName => Schedule == Karras && Sampler == "DPM++ 2M" ? $"{Sampler} {Karras}" : Sampler;

    /// <summary>Resolves a request's names; throws a <see cref="GenerationInputException"/> naming what is not available.</summary>
    public static SamplerSchedule Resolve(string samplerName, string? scheduler)
    {
        var name = (samplerName ?? "").Trim();
        var schedule = string.IsNullOrWhiteSpace(scheduler) ? Automatic : Label(scheduler.Trim());

        // An old combined name: its schedule applies when the request's scheduler is Automatic (longest label first: "SGM Uniform" before "Uniform").
        var suffix = A1111Schedules.OrderByDescending(label => label.Length)
            .FirstOrDefault(label => label != Automatic && name.EndsWith(" " + label, StringComparison.OrdinalIgnoreCase));
        if (!Supported.ContainsKey(name) && suffix is not null)
        {
            name = name[..^(suffix.Length + 1)].TrimEnd();
            schedule = schedule == Automatic ? suffix : schedule;
        }

        if (NotBuilt.FirstOrDefault(known => known.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } notBuilt)
        {
            throw new GenerationInputException("unsupported_sampler",
                $"sampler_name '{samplerName}': A1111's {notBuilt} is not available on this engine; use one of: {string.Join(", ", Supported.Keys)}");
        }

        var sampler = Supported.Keys.FirstOrDefault(key => key.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new GenerationInputException("unsupported_sampler",
                $"sampler_name '{samplerName}' is not supported; use one of: {string.Join(", ", Supported.Keys)} (with scheduler, or the combined names such as DPM++ 2M Karras)");
        var schedules = Supported[sampler];
        var resolved = schedule == Automatic ? schedules[0] : schedule;
        if (!schedules.Contains(resolved))
        {
            throw new GenerationInputException("unsupported_scheduler",
                $"scheduler '{scheduler ?? suffix}' is not available with sampler '{sampler}'; use {string.Join(" or ", [Automatic, .. schedules])}");
        }

        return new SamplerSchedule(sampler, resolved);
    }

    /// <summary>A1111's label for a schedule name or its internal name (<c>karras</c>, <c>sgm_uniform</c>), case-insensitive.</summary>
    private static string Label(string scheduler) =>
        A1111Schedules.FirstOrDefault(label => label.Equals(scheduler, StringComparison.OrdinalIgnoreCase)
            || label.Replace(' ', '_').Equals(scheduler, StringComparison.OrdinalIgnoreCase))
        ?? throw new GenerationInputException("unsupported_scheduler", $"scheduler '{scheduler}' is not one of A1111's: {string.Join(", ", A1111Schedules)}");
}
