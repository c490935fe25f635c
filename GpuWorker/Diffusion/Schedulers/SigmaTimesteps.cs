namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// Timesteps and sigmas of the k-diffusion style schedulers (Euler, Euler ancestral, LMS), as diffusers'
/// <c>EulerDiscreteScheduler.set_timesteps</c> computes them: spaced per <c>timestep_spacing</c> (default linspace),
/// sigmas interpolated at those timesteps (or, with <c>use_karras_sigmas</c>, Karras et al. 2022 eq. 5 between the
/// first and last of them, each mapped back to its fractional timestep), then a final sigma of 0.
/// </summary>
public static class SigmaTimesteps
{
    /// <param name="followKarras">Whether this scheduler reads <c>use_karras_sigmas</c> (diffusers' Euler and LMS do, Euler ancestral does not).</param>
    public static (float[] Timesteps, double[] Sigmas, float InitNoiseSigma) Compute(SchedulerConfig config, NoiseSchedule schedule, int steps, bool followKarras = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var trainSteps = config.NumTrainTimesteps;
        var spacing = config.TimestepSpacing ?? "linspace";
        var timesteps = new double[steps];
        switch (spacing)
        {
            case "linspace":
                // np.linspace(0, T - 1, N)[::-1]
                for (var i = 0; i < steps; i++)
                {
                    timesteps[steps - 1 - i] = steps == 1 ? 0 : (trainSteps - 1) * (double)i / (steps - 1);
                }

                break;
            case "leading":
                // (np.arange(0, N) * (T // N)).round()[::-1] + steps_offset
                var ratio = trainSteps / steps;
                for (var i = 0; i < steps; i++)
                {
                    timesteps[steps - 1 - i] = i * ratio + config.StepsOffset;
                }

                break;
            case "trailing":
                // np.arange(T, 0, -T / N).round() - 1
                var fractionalRatio = (double)trainSteps / steps;
                for (var i = 0; i < steps; i++)
                {
                    timesteps[i] = Math.Round(trainSteps - i * fractionalRatio, MidpointRounding.ToEven) - 1;
                }

                break;
            default:
                throw new ArgumentException($"timestep_spacing '{spacing}' is not supported (linspace, leading, trailing)", nameof(config));
        }

        var sigmas = new double[steps + 1];
        var result = new float[steps];
        var maxSigma = 0.0;
        for (var i = 0; i < steps; i++)
        {
            sigmas[i] = schedule.SigmaAt(timesteps[i]);
            result[i] = (float)timesteps[i];
            maxSigma = Math.Max(maxSigma, sigmas[i]);
        }

        if (followKarras && config.UseKarrasSigmas == true)
        {
            // diffusers _convert_to_karras: from the spaced sigmas' first (largest) to last (smallest)
            var karras = NoiseSchedule.KarrasSigmas(sigmas[steps - 1], sigmas[0], steps);
            maxSigma = 0.0;
            for (var i = 0; i < steps; i++)
            {
                sigmas[i] = karras[i];
                result[i] = (float)schedule.SigmaToTimestep(karras[i]);
                maxSigma = Math.Max(maxSigma, sigmas[i]);
            }
        }

        sigmas[steps] = 0;
        var initNoiseSigma = spacing is "linspace" or "trailing" ? maxSigma : Math.Sqrt(maxSigma * maxSigma + 1);
        return (result, sigmas, (float)initNoiseSigma);
    }
}
