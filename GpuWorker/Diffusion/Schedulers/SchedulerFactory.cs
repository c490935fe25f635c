using SdServerless.GpuWorker.Diffusion.Faults;
namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>Builds a scheduler from its AUTOMATIC1111 name (case-insensitive) and the model's scheduler config.</summary>
public static class SchedulerFactory
{
    public static IReadOnlyList<string> SamplerNames { get; } = ["Euler a", "Euler", "DDIM", "DPM++ 2M", "DPM++ 2M Karras", "LMS"];

    /// <summary>Whether the sampler draws fresh noise at its steps (A1111 applies ENSD only to those).</summary>
    public static bool DrawsNoise(string sampler) => sampler.Trim().Equals("Euler a", StringComparison.OrdinalIgnoreCase);

    /// <summary>A resolved sampler and schedule; an explicit Karras schedule turns on <c>use_karras_sigmas</c> for Euler and LMS.</summary>
    public static IScheduler Create(SamplerSchedule sampling, SchedulerConfig config) =>
        Create(sampling.CombinedName, sampling.Schedule == SamplerSchedule.Karras && sampling.Sampler is "Euler" or "LMS" ? config with { UseKarrasSigmas = true } : config);

    public static IScheduler Create(string sampler, SchedulerConfig config) => sampler.Trim().ToLowerInvariant() switch
    {
        "euler a" => new EulerAncestralDiscreteScheduler(config),
        "euler" => new EulerDiscreteScheduler(config),
        "ddim" => new DdimScheduler(config),
        "dpm++ 2m" => new DpmSolverMultistepScheduler(config, new DpmSolverOptions(UseKarrasSigmas: false)),
        "dpm++ 2m karras" => new DpmSolverMultistepScheduler(config, new DpmSolverOptions(UseKarrasSigmas: true)),
        "lms" => new LmsDiscreteScheduler(config),
        _ => throw new GenerationInputException(
            "unsupported_sampler", $"sampler_name '{sampler}' is not supported; use one of: {string.Join(", ", SamplerNames)}"),
    };
}
