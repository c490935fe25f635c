namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>One model evaluation a sampler asks for: the denoiser at sample <paramref name="At"/> and noise level <paramref name="Sigma"/>.</summary>
public readonly record struct Evaluation(float[] At, double Sigma);

/// <summary>
/// A k-diffusion sampler (<c>k_diffusion/sampling.py</c>), written as k-diffusion writes it: a loop over the sigmas that
/// calls the denoiser. Each call is a <c>yield return</c> of the point to evaluate; the loop that drives it
/// (<see cref="KDiffusionScheduler"/>) runs the UNet and writes the denoised prediction into <see cref="Denoised"/>
/// before resuming. <paramref name="x"/> is updated in place and holds the result when the sequence ends.
/// Legend: x = sample, sigma = noise level, denoised = D(x, sigma), d = (x - denoised) / sigma (Karras et al. 2022 eq. 4).
/// </summary>
public abstract class KSampler
{
    /// <summary>D(x, sigma) of the last evaluation, written by the driving loop.</summary>
    public float[] Denoised { get; private set; } = [];

    /// <summary>Whether its steps draw fresh noise from the step generators (A1111's <c>uses_ensd</c>: ENSD applies).</summary>
    public virtual bool Ancestral => false;

    /// <summary>Whether A1111 draws its noise from torchsde's Brownian tree (<c>brownian_noise</c>), which this port does not.</summary>
    public virtual bool Brownian => false;

    public abstract IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise);

    internal void Prepare(int length)
    {
        if (Denoised.Length != length)
        {
            Denoised = new float[length];
        }
    }

    /// <summary>k-diffusion's Euler step from <paramref name="sigma"/> to <paramref name="sigmaTo"/>: x += (x - denoised) / sigma * (sigmaTo - sigma), in float32.</summary>
    protected void EulerStep(float[] x, double sigma, double sigmaTo)
    {
        var s = (float)sigma;
        var dt = (float)(sigmaTo - sigma);
        for (var j = 0; j < x.Length; j++)
        {
            x[j] += (x[j] - Denoised[j]) / s * dt;
        }
    }

    /// <summary>Fresh noise from the step generators, of standard deviation <paramref name="scale"/> (cast to float32), added to x.</summary>
    protected static void AddNoise(float[] x, StepNoise noise, float[] buffer, double scale)
    {
        noise.Draw(buffer);
        var s = (float)scale;
        for (var j = 0; j < x.Length; j++)
        {
            x[j] += buffer[j] * s;
        }
    }

    /// <summary>k-diffusion <c>get_ancestral_step</c>: sigma_down to step to, sigma_up of fresh noise; sigma_up^2 + sigma_down^2 = sigma_to^2.</summary>
    protected static (double Down, double Up) AncestralStep(double sigmaFrom, double sigmaTo, double eta)
    {
        if (eta == 0)
        {
            return (sigmaTo, 0);
        }

        var up = Math.Min(sigmaTo, eta * Math.Sqrt(sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo) / (sigmaFrom * sigmaFrom)));
        return (Math.Sqrt(sigmaTo * sigmaTo - up * up), up);
    }

    /// <summary>
    /// Karras et al. 2022 Algorithm 2's churn: gamma = min(s_churn / N, sqrt 2 - 1) where s_tmin &lt;= sigma &lt;= s_tmax;
    /// x gains noise of sqrt(sigma_hat^2 - sigma^2). A1111 draws the noise on every step while s_churn is set (its
    /// <c>randn_like</c> comes from the step generators), so the draws here follow the same sequence.
    /// </summary>
    protected static double Churn(float[] x, double sigma, int steps, KSamplerOptions options, StepNoise noise, float[] buffer)
    {
        if (options.SChurn == 0)
        {
            return sigma;
        }

        var gamma = options.STmin <= sigma && sigma <= options.STmax ? Math.Min(options.SChurn / steps, Math.Sqrt(2) - 1) : 0;
        noise.Draw(buffer);
        var sigmaHat = sigma * (gamma + 1);
        if (gamma > 0)
        {
            var scale = (float)(options.SNoise * Math.Sqrt(sigmaHat * sigmaHat - sigma * sigma));
            for (var i = 0; i < x.Length; i++)
            {
                x[i] += buffer[i] * scale;
            }
        }

        return sigmaHat;
    }

    /// <summary>exp(v) - 1 (torch <c>expm1</c>); in double the cancellation costs nothing at the step sizes used.</summary>
    protected static double Expm1(double v) => Math.Abs(v) < 1e-5 ? v + v * v / 2 + v * v * v / 6 : Math.Exp(v) - 1;
}
