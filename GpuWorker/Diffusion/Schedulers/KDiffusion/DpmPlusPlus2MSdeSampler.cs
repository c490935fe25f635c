namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// A1111 "DPM++ 2M SDE" (midpoint) and "DPM++ 2M SDE Heun": k-diffusion <c>sample_dpmpp_2m_sde</c>. Its noise comes
/// from the step generators, one draw a step; A1111 draws it from torchsde's Brownian tree (docs/decisions/0423).
/// Legend: t = -log sigma, h = t_next - t, eta_h = eta h.
/// </summary>
public sealed class DpmPlusPlus2MSdeSampler(KSamplerOptions options, bool heun) : KSampler
{
    public override bool Brownian => true;

    public override IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise)
    {
        var old = new float[x.Length];
        var fresh = new float[x.Length];
        var hasOld = false;
        var hLast = 0.0;
        for (var i = 0; i < sigmas.Length - 1; i++)
        {
            yield return new Evaluation(x, sigmas[i]);
            if (sigmas[i + 1] == 0)
            {
                // denoising step
                Denoised.CopyTo(x, 0);
            }
            else
            {
                var t = -Math.Log(sigmas[i]);
                var s = -Math.Log(sigmas[i + 1]);
                var h = s - t;
                var etaH = options.Eta * h;

                // 1. x = (sigma_next / sigma) e^{-eta h} x + (1 - e^{-h - eta h}) D
                var a = (float)(sigmas[i + 1] / sigmas[i] * Math.Exp(-etaH));
                var b = (float)-Expm1(-h - etaH);
                var correction = 0f;
                if (hasOld)
                {
                    // 2. second-order correction from the previous D, r = h_last / h
                    var r = hLast / h;
                    correction = (float)(heun
                        ? (-Expm1(-h - etaH) / (-h - etaH) + 1) * (1 / r)
                        : 0.5 * -Expm1(-h - etaH) * (1 / r));
                }

                for (var j = 0; j < x.Length; j++)
                {
                    var next = a * x[j] + b * Denoised[j];
                    if (hasOld)
                    {
                        next += correction * (Denoised[j] - old[j]);
                    }

                    x[j] = next;
                }

                // 3. noise of sigma_next sqrt(1 - e^{-2 eta h}) s_noise
                if (options.Eta != 0)
                {
                    AddNoise(x, noise, fresh, sigmas[i + 1] * Math.Sqrt(-Expm1(-2 * etaH)) * options.SNoise);
                }

                hLast = h;
            }

            Denoised.CopyTo(old, 0);
            hasOld = true;
        }
    }
}
