using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;
using SdServerless.GpuWorker.Diffusion.Schedulers.UniPc;
namespace SdServerless.GpuWorker.Diffusion.Sampling;

/// <summary>
/// Builds a scheduler from its AUTOMATIC1111 name (case-insensitive) and the model's scheduler config. Euler a, Euler,
/// LMS, DPM++ 2M and DDIM on the schedules diffusers runs them with keep diffusers' schedulers (checked against
/// diffusers); every other sampler and schedule runs k-diffusion's sampler loop (<see cref="KDiffusionScheduler"/>,
/// docs/decisions/0421), LCM with A1111's LCM denoiser; UniPC runs A1111's own solver (<see cref="UniPcScheduler"/>).
/// </summary>
public static class SchedulerFactory
{
    public static IReadOnlyList<string> SamplerNames { get; } =
        ["Euler a", "Euler", "DDIM", "DPM++ 2M", "DPM++ 2M Karras", "LMS", "Heun", "DPM2", "DPM2 a", "DPM++ 2S a", "DPM++ SDE", "DPM++ 2M SDE", "DPM++ 2M SDE Heun", "LCM", "UniPC"];

    /// <summary>Whether the sampler draws fresh noise at its steps from the step generators (A1111's <c>uses_ensd</c>: ENSD applies).</summary>
    public static bool DrawsNoise(string sampler) => sampler.Trim().ToLowerInvariant() is "euler a" or "dpm2 a" or "dpm++ 2s a";

    /// <summary>Whether A1111 draws this sampler's noise from torchsde's Brownian tree (docs/decisions/0423).</summary>
    public static bool UsesBrownianNoise(string sampler) => sampler.Trim().ToLowerInvariant() is "dpm++ sde" or "dpm++ 2m sde" or "dpm++ 2m sde heun";

    /// <summary>
    /// Whether the run draws noise from the step generators, so ENSD changes its image: the ancestral and SDE samplers,
    /// LCM, and Euler, Heun and DPM2 with churn.
    /// </summary>
    public static bool DrawsStepNoise(string sampler, double sChurn) =>
        DrawsNoise(sampler) || UsesBrownianNoise(sampler) || (UsesChurn(sampler) && sChurn != 0) || sampler.Trim().Equals("LCM", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a k-diffusion sampler reads eta (A1111 passes it where the function takes it).</summary>
    public static bool UsesEta(string sampler) => DrawsNoise(sampler) || UsesBrownianNoise(sampler);

    /// <summary>Whether the sampler reads s_noise (A1111 1.10's <c>sampler_extra_params</c>).</summary>
    public static bool UsesSNoise(string sampler) => UsesChurn(sampler) || UsesBrownianNoise(sampler) || sampler.Trim().ToLowerInvariant() is "dpm2 a" or "dpm++ 2s a";

    /// <summary>Whether the sampler reads s_churn, s_tmin and s_tmax (A1111's <c>sampler_extra_params</c>).</summary>
    public static bool UsesChurn(string sampler) => sampler.Trim().ToLowerInvariant() is "euler" or "heun" or "dpm2";

    /// <summary>A resolved sampler and schedule with the request's sampler settings.</summary>
    public static IScheduler Create(SamplerSchedule sampling, SchedulerConfig config, KSamplerOptions? options = null, double? eta = null)
    {
        options ??= KSamplerOptions.Default;
        var sampler = sampling.Sampler;
        var diffusers = sampling.Schedule switch
        {
            SamplerSchedule.Uniform => sampler is "Euler a" or "Euler" or "LMS" or "DPM++ 2M" or "DDIM",
            SamplerSchedule.Karras => sampler is "Euler" or "LMS" or "DPM++ 2M",
            _ => false,
        };

        // diffusers' Euler a and Euler know no eta or churn: with those set they run k-diffusion's loop too.
        if (diffusers && !(sampler == "Euler a" && options.Eta != 1) && !(sampler == "Euler" && options.SChurn != 0))
        {
            var combined = sampling.Schedule == SamplerSchedule.Karras && sampler is "Euler" or "LMS" ? config with { UseKarrasSigmas = true } : config;
            return sampler == "DDIM" ? new DdimScheduler(combined, new DdimOptions((float)(eta ?? 0))) : Create(sampling.CombinedName, combined);
        }

        if (sampler == "UniPC")
        {
            // A1111's UniPC runs on the discrete VP schedule's own times, whatever the schedule (docs/decisions/0428)
            return new UniPcScheduler(config);
        }

        if (sampler == "LCM")
        {
            // A1111's LCM runs its own denoiser and sigmas (Automatic and Uniform both give them)
            var lcm = new LcmDenoiser(new KDiffusionSchedule(config), PredictionTypes.Parse(config.PredictionType));
            return new KDiffusionScheduler(lcm, new LcmSampler(), (_, steps) => lcm.StepSigmas(steps));
        }

        var discard = sampler is "DPM2" or "DPM2 a";
        return new KDiffusionScheduler(config, CreateSampler(sampler, options), (schedule, steps) => Sigmas(sampling.Schedule, schedule, steps, discard));
    }

    /// <summary>A1111's sigmas: with <c>discard_next_to_last_sigma</c> (DPM2, DPM2 a) one step more, then the next-to-last dropped.</summary>
    public static double[] Sigmas(string label, KDiffusionSchedule schedule, int steps, bool discardNextToLast)
    {
        var sigmas = SigmaSchedules.Compute(label, schedule, steps + (discardNextToLast ? 1 : 0));
        return discardNextToLast ? [.. sigmas[..^2], sigmas[^1]] : sigmas;
    }

    public static KSampler CreateSampler(string sampler, KSamplerOptions options) => sampler.Trim().ToLowerInvariant() switch
    {
        "euler a" => new EulerAncestralSampler(options with { SNoise = 1 }), // A1111 1.10 passes no s_noise to Euler a
        "euler" => new EulerSampler(options),
        "heun" => new HeunSampler(options),
        "dpm2" => new Dpm2Sampler(options),
        "dpm2 a" => new Dpm2AncestralSampler(options),
        "dpm++ 2s a" => new DpmPlusPlus2SAncestralSampler(options),
        "dpm++ 2m" => new DpmPlusPlus2MSampler(),
        "dpm++ sde" => new DpmPlusPlusSdeSampler(options),
        "dpm++ 2m sde" => new DpmPlusPlus2MSdeSampler(options, heun: false),
        "dpm++ 2m sde heun" => new DpmPlusPlus2MSdeSampler(options, heun: true),
        "lcm" => new LcmSampler(),
        _ => throw new GenerationInputException("unsupported_sampler", $"sampler_name '{sampler}' has no k-diffusion sampler here"),
    };

    public static IScheduler Create(string sampler, SchedulerConfig config) => sampler.Trim().ToLowerInvariant() switch
    {
        "euler a" => new EulerAncestralDiscreteScheduler(config),
        "euler" => new EulerDiscreteScheduler(config),
        "ddim" => new DdimScheduler(config),
        "dpm++ 2m" => new DpmSolverMultistepScheduler(config, new DpmSolverOptions(UseKarrasSigmas: false)),
        "dpm++ 2m karras" => new DpmSolverMultistepScheduler(config, new DpmSolverOptions(UseKarrasSigmas: true)),
        "lms" => new LmsDiscreteScheduler(config),
        "unipc" => new UniPcScheduler(config),
        _ => Create(SamplerSchedule.Resolve(sampler, null), config),
    };
}
