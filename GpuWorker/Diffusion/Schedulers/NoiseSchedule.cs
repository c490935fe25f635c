namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// The training noise schedule shared by every scheduler: betas -> alphas_cumprod (alpha-bar) -> sigmas, where
/// <c>sigma_t = sqrt((1 - alpha-bar_t) / alpha-bar_t)</c> (Karras et al. 2022, eq. 1 in VE form). Index = training timestep.
/// </summary>
public sealed class NoiseSchedule
{
    public NoiseSchedule(SchedulerConfig config)
    {
        if (config.NumTrainTimesteps < 2)
        {
            throw new ArgumentException($"num_train_timesteps must be at least 2, got {config.NumTrainTimesteps}", nameof(config));
        }

        if (config.RescaleBetasZeroSnr)
        {
            throw new ArgumentException("rescale_betas_zero_snr=true is not supported", nameof(config));
        }

        // In float32, as diffusers computes them (torch float32 betas and cumprod), so the sigmas match its values to the last digit.
        var betas = Betas(config);
        AlphasCumprod = new double[betas.Length];
        Sigmas = new double[betas.Length];
        LogSigmas = new double[betas.Length];
        var product = 1f;
        for (var t = 0; t < betas.Length; t++)
        {
            product *= 1f - betas[t];
            AlphasCumprod[t] = product;
            Sigmas[t] = MathF.Sqrt((1f - product) / product);
            LogSigmas[t] = Math.Log(Sigmas[t]);
        }
    }

    /// <summary>alpha-bar_t for t = 0 .. num_train_timesteps - 1.</summary>
    public double[] AlphasCumprod { get; }

    /// <summary>sigma_t, increasing with t.</summary>
    public double[] Sigmas { get; }

    public double[] LogSigmas { get; }

    public double SigmaMin => Sigmas[0];

    public double SigmaMax => Sigmas[^1];

    /// <summary>sigma at a fractional timestep, linearly interpolated (numpy <c>interp</c>).</summary>
    public double SigmaAt(double timestep)
    {
        if (timestep <= 0)
        {
            return Sigmas[0];
        }

        if (timestep >= Sigmas.Length - 1)
        {
            return Sigmas[^1];
        }

        var low = (int)Math.Floor(timestep);
        var w = timestep - low;
        return Sigmas[low] * (1 - w) + Sigmas[low + 1] * w;
    }

    /// <summary>The fractional timestep of a sigma, interpolating in log-sigma (diffusers <c>_sigma_to_t</c>).</summary>
    public double SigmaToTimestep(double sigma)
    {
        var logSigma = Math.Log(Math.Max(sigma, 1e-10));
        var low = 0;
        for (var i = 0; i < LogSigmas.Length; i++)
        {
            if (LogSigmas[i] <= logSigma)
            {
                low = i;
            }
        }

        low = Math.Min(low, LogSigmas.Length - 2);
        var w = (LogSigmas[low] - logSigma) / (LogSigmas[low] - LogSigmas[low + 1]);
        w = Math.Clamp(w, 0, 1);
        return (1 - w) * low + w * (low + 1);
    }

    /// <summary>Karras et al. 2022 eq. 5: sigmas spaced evenly in sigma^(1/rho), from sigma_max down to sigma_min.</summary>
    public static double[] KarrasSigmas(double sigmaMin, double sigmaMax, int steps, double rho = 7.0)
    {
        var minInvRho = Math.Pow(sigmaMin, 1 / rho);
        var maxInvRho = Math.Pow(sigmaMax, 1 / rho);
        var sigmas = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var ramp = steps == 1 ? 0 : (double)i / (steps - 1);
            sigmas[i] = Math.Pow(maxInvRho + ramp * (minInvRho - maxInvRho), rho);
        }

        return sigmas;
    }

    private static float[] Betas(SchedulerConfig config)
    {
        var n = config.NumTrainTimesteps;
        if (config.TrainedBetas is { } trained)
        {
            return trained.Length == n
                ? trained.Select(beta => (float)beta).ToArray()
                : throw new ArgumentException($"trained_betas has {trained.Length} values, num_train_timesteps is {n}", nameof(config));
        }

        var betas = new float[n];
        switch (config.BetaSchedule)
        {
            case "linear":
                Linspace((float)config.BetaStart, (float)config.BetaEnd, betas);
                break;
            case "scaled_linear":
                Linspace((float)Math.Sqrt(config.BetaStart), (float)Math.Sqrt(config.BetaEnd), betas);
                for (var i = 0; i < n; i++)
                {
                    betas[i] *= betas[i];
                }

                break;
            case "squaredcos_cap_v2":
                // Nichol & Dhariwal 2021, eq. 17: alpha-bar(t) = cos^2(((t / T) + s) / (1 + s) * pi / 2), betas capped at 0.999.
                static double AlphaBar(double t) => Math.Pow(Math.Cos((t + 0.008) / 1.008 * Math.PI / 2), 2);
                for (var i = 0; i < n; i++)
                {
                    betas[i] = (float)Math.Min(1 - AlphaBar((i + 1.0) / n) / AlphaBar((double)i / n), 0.999);
                }

                break;
            default:
                throw new ArgumentException($"beta_schedule '{config.BetaSchedule}' is not supported (linear, scaled_linear, squaredcos_cap_v2)", nameof(config));
        }

        return betas;
    }

    /// <summary><c>torch.linspace</c> in float32: from the start for the first half, from the end for the second.</summary>
    private static void Linspace(float start, float end, float[] destination)
    {
        var n = destination.Length;
        var step = (end - start) / (n - 1);
        for (var i = 0; i < n; i++)
        {
            destination[i] = i < n / 2 ? start + step * i : end - step * (n - 1 - i);
        }
    }
}
