namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// Keys of <c>scheduler_config.json</c> that change diffusers' sigmas or steps. Each is either honoured by the schedulers
/// here or refused when the model loads, never ignored:
/// <list type="bullet">
/// <item><c>timestep_spacing</c> <c>linspace</c>, <c>leading</c> (SDXL base) and <c>trailing</c> (SD-Turbo, SDXL-Turbo): honoured.</item>
/// <item><c>use_karras_sigmas</c>: honoured by Euler, LMS and DPM++ 2M, whose diffusers classes read it; Euler a and DDIM refuse a request while it is true.</item>
/// <item><c>interpolation_type</c> other than <c>linear</c>, <c>final_sigmas_type</c> other than <c>zero</c>, <c>timestep_type</c> other than
/// <c>discrete</c>, <c>use_exponential_sigmas</c>, <c>use_beta_sigmas</c>, <c>sigma_min</c>/<c>sigma_max</c> overrides and
/// <c>thresholding</c>: refused.</item>
/// </list>
/// </summary>
public static class SchedulerConfigCheck
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first key the schedulers cannot follow.</summary>
    public static void RefuseUnsupportedKeys(SchedulerConfig config)
    {
        Refuse(config.InterpolationType is not (null or "linear"), $"interpolation_type '{config.InterpolationType}' is not supported (linear)");
        Refuse(config.FinalSigmasType is not (null or "zero"), $"final_sigmas_type '{config.FinalSigmasType}' is not supported (zero)");
        Refuse(config.TimestepType is not (null or "discrete"), $"timestep_type '{config.TimestepType}' is not supported (discrete)");
        Refuse(config.UseExponentialSigmas == true, "use_exponential_sigmas=true is not supported");
        Refuse(config.UseBetaSigmas == true, "use_beta_sigmas=true is not supported");
        Refuse(config.SigmaMin is not null || config.SigmaMax is not null, "sigma_min/sigma_max overrides are not supported (the schedule's own extremes are used)");
        Refuse(config.Thresholding == true, "thresholding=true (dynamic thresholding) is not supported");
        Refuse(config.TimestepSpacing is not (null or "linspace" or "leading" or "trailing"), $"timestep_spacing '{config.TimestepSpacing}' is not supported (linspace, leading, trailing)");
    }

    /// <summary>The reason <paramref name="sampler"/> cannot follow this config, or null when it can.</summary>
    public static string? SamplerConflict(string sampler, SchedulerConfig config) =>
        config.UseKarrasSigmas == true && sampler.Trim().ToLowerInvariant() is "euler a" or "ddim"
            ? $"the model's scheduler config sets use_karras_sigmas, which sampler '{sampler.Trim()}' does not follow (as in diffusers); use Euler, LMS or DPM++ 2M"
            : null;

    private static void Refuse(bool condition, string reason)
    {
        if (condition)
        {
            throw new ArgumentException(reason);
        }
    }
}
