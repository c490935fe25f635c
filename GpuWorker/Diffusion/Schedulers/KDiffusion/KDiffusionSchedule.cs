namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// k-diffusion's <c>DiscreteSchedule</c> over the model's training sigmas, as AUTOMATIC1111's <c>CompVisDenoiser</c>
/// builds it: alpha-bar from the LDM code (betas and their cumulative product in double, then stored as float32),
/// sigma_t = sqrt((1 - alpha-bar_t) / alpha-bar_t) and log sigma in float32. Timesteps and sigmas map to each other by
/// interpolating in log sigma (<c>sigma_to_t</c>, <c>t_to_sigma</c>).
/// </summary>
public sealed class KDiffusionSchedule
{
    public KDiffusionSchedule(SchedulerConfig config)
    {
        var alphasCumprod = LdmAlphasCumprod(config) ?? new NoiseSchedule(config).AlphasCumprod;
        AlphasCumprod = new float[alphasCumprod.Length];
        Sigmas = new float[alphasCumprod.Length];
        LogSigmas = new float[alphasCumprod.Length];
        for (var t = 0; t < alphasCumprod.Length; t++)
        {
            var alpha = (float)alphasCumprod[t];
            AlphasCumprod[t] = alpha;
            Sigmas[t] = MathF.Sqrt((1f - alpha) / alpha);
            LogSigmas[t] = MathF.Log(Sigmas[t]);
        }
    }

    /// <summary>alpha-bar_t for t = 0 .. T - 1 as the model stores it (float32): what A1111's UniPC and DDIM read.</summary>
    public float[] AlphasCumprod { get; }

    /// <summary>sigma_t for t = 0 .. T - 1, increasing (float32, as the model wrapper stores them).</summary>
    public float[] Sigmas { get; }

    public float[] LogSigmas { get; }

    public double SigmaMin => Sigmas[0];

    public double SigmaMax => Sigmas[^1];

    /// <summary>The fractional timestep of a sigma (k-diffusion <c>sigma_to_t</c>, not quantized).</summary>
    public double SigmaToT(double sigma)
    {
        var logSigma = (float)Math.Log(sigma);
        var low = 0;
        for (var i = 0; i < LogSigmas.Length; i++)
        {
            if (logSigma - LogSigmas[i] >= 0)
            {
                low = i;
            }
        }

        low = Math.Min(low, LogSigmas.Length - 2);
        var w = (LogSigmas[low] - logSigma) / (LogSigmas[low] - LogSigmas[low + 1]);
        w = Math.Clamp(w, 0f, 1f);
        return (1 - w) * low + w * (low + 1);
    }

    /// <summary>The sigma at a fractional timestep (k-diffusion <c>t_to_sigma</c>: linear in log sigma).</summary>
    public double TToSigma(double t)
    {
        var tf = (float)t;
        var low = (int)MathF.Floor(tf);
        var high = (int)MathF.Ceiling(tf);
        var w = tf - low;
        return MathF.Exp((1 - w) * LogSigmas[low] + w * LogSigmas[high]);
    }

    /// <summary>LDM's <c>make_beta_schedule</c> in double (linear and scaled_linear, which are A1111's); null for others.</summary>
    private static double[]? LdmAlphasCumprod(SchedulerConfig config)
    {
        if (config.TrainedBetas is not null || config.BetaSchedule is not ("linear" or "scaled_linear"))
        {
            return null;
        }

        var n = config.NumTrainTimesteps;
        var scaled = config.BetaSchedule == "scaled_linear";
        var start = scaled ? Math.Sqrt(config.BetaStart) : config.BetaStart;
        var end = scaled ? Math.Sqrt(config.BetaEnd) : config.BetaEnd;
        var step = (end - start) / (n - 1);
        var result = new double[n];
        var product = 1.0;
        for (var i = 0; i < n; i++)
        {
            // torch.linspace: from the start for the first half, from the end for the second
            var value = i < n / 2 ? start + step * i : end - step * (n - 1 - i);
            var beta = scaled ? value * value : value;
            product *= 1 - beta;
            result[i] = product;
        }

        return result;
    }
}
