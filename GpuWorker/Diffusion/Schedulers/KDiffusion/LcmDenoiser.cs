namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// AUTOMATIC1111's <c>LCMCompVisDenoiser</c> (<c>modules/sd_samplers_lcm.py</c>): a discrete schedule over 50 of the
/// training steps (every T / 50-th, ending at T - 1: timesteps 19, 39, ..., 999 for T = 1000). A sigma maps to the
/// nearest of them (<c>sigma_to_t</c>, quantized), the UNet answers at that timestep, and D is LCM's boundary condition
/// over the epsilon denoiser: <c>c_out * (x - sigma * eps) + c_skip * x</c>, with c_skip = 0.25 / (t'^2 + 0.25),
/// c_out = t' / sqrt(t'^2 + 0.25), t' = 10 * timestep (sigma_data 0.5). In float32, as A1111's tensors are.
/// </summary>
public sealed class LcmDenoiser : CompVisDenoiser
{
    /// <summary>LCM's original training steps (A1111's <c>original_timesteps</c>).</summary>
    public const int OriginalSteps = 50;

    private readonly int skip;
    private readonly float[] logSigmas;

    public LcmDenoiser(KDiffusionSchedule schedule, PredictionType prediction)
        : base(schedule, prediction)
    {
        var trainSteps = schedule.Sigmas.Length;
        skip = trainSteps / OriginalSteps;
        logSigmas = new float[OriginalSteps];
        Sigmas = new float[OriginalSteps];
        for (var k = 0; k < OriginalSteps; k++)
        {
            var t = trainSteps - 1 - (OriginalSteps - 1 - k) * skip;
            Sigmas[k] = schedule.Sigmas[t];
            logSigmas[k] = schedule.LogSigmas[t];
        }
    }

    /// <summary>The 50 sigmas, increasing.</summary>
    public float[] Sigmas { get; }

    /// <summary>The timestep of the nearest of the 50 sigmas in log sigma (an integer).</summary>
    public override double Timestep(double sigma)
    {
        var logSigma = (float)Math.Log(sigma);
        var nearest = 0;
        for (var k = 1; k < logSigmas.Length; k++)
        {
            if (Math.Abs(logSigma - logSigmas[k]) < Math.Abs(logSigma - logSigmas[nearest]))
            {
                nearest = k;
            }
        }

        return nearest * skip + (skip - 1);
    }

    public override void Denoise(ReadOnlySpan<float> modelOutput, float[] at, double sigma, float[] denoised)
    {
        base.Denoise(modelOutput, at, sigma, denoised);
        var scaled = (float)(Timestep(sigma) * 10.0);
        var cSkip = 0.25f / (scaled * scaled + 0.25f);
        var cOut = scaled / MathF.Sqrt(scaled * scaled + 0.25f);
        for (var i = 0; i < at.Length; i++)
        {
            denoised[i] = cOut * denoised[i] + cSkip * at[i];
        }
    }

    /// <summary>
    /// A1111's LCM sigmas (its <c>get_sigmas</c>, which both Automatic and Uniform give): n timesteps evenly from the
    /// largest sigma's to the smallest's, each mapped back by interpolating log sigma between the 50, then 0.
    /// </summary>
    public double[] StepSigmas(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var start = Timestep(Sigmas[^1]);
        var end = Timestep(Sigmas[0]);
        var result = new double[n + 1];
        var i = 0;
        foreach (var timestep in SigmaSchedules.Linspace(start, end, n))
        {
            var t = Math.Clamp(((float)timestep - (skip - 1)) / skip, 0f, OriginalSteps - 1);
            var low = (int)MathF.Floor(t);
            var high = (int)MathF.Ceiling(t);
            var w = t - low;
            result[i++] = MathF.Exp((1 - w) * logSigmas[low] + w * logSigmas[high]);
        }

        return result;
    }
}
