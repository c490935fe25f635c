namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// A1111 "DPM++ SDE": k-diffusion <c>sample_dpmpp_sde</c> (stochastic DPM-Solver++, r = 1/2), two evaluations a step.
/// Its noise comes from the step generators, one draw per call of k-diffusion's noise sampler; A1111 draws it from
/// torchsde's Brownian tree instead (docs/decisions/0423).
/// </summary>
public sealed class DpmPlusPlusSdeSampler(KSamplerOptions options) : KSampler
{
    private const double R = 0.5;

    public override bool Brownian => true;

    public override IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise)
    {
        var fresh = new float[x.Length];
        var x2 = new float[x.Length];
        var denoised = new float[x.Length];
        for (var i = 0; i < sigmas.Length - 1; i++)
        {
            yield return new Evaluation(x, sigmas[i]);
            if (sigmas[i + 1] == 0)
            {
                EulerStep(x, sigmas[i], sigmas[i + 1]);

                continue;
            }

            // Legend: t = -log sigma, h = t_next - t, s = t + r h, fac = 1 / (2 r)
            var t = -Math.Log(sigmas[i]);
            var tNext = -Math.Log(sigmas[i + 1]);
            var h = tNext - t;
            var sMid = t + h * R;
            var fac = 1 / (2 * R);
            var sigmaT = Math.Exp(-t);
            var sigmaS = Math.Exp(-sMid);

            // 1. ancestral step to s: x2 = (sigma(s_) / sigma(t)) x - (e^{t - s_} - 1) D, plus noise of su
            var (down1, up1) = AncestralStep(sigmaT, sigmaS, options.Eta);
            var s1 = -Math.Log(down1);
            var a = (float)(Math.Exp(-s1) / sigmaT);
            var b = (float)Expm1(t - s1);
            noise.Draw(fresh);
            var scale1 = (float)(options.SNoise * up1);
            for (var j = 0; j < x.Length; j++)
            {
                x2[j] = a * x[j] - b * Denoised[j] + fresh[j] * scale1;
            }

            Denoised.CopyTo(denoised, 0);
            yield return new Evaluation(x2, sigmaS);

            // 2. from x with D_d = (1 - fac) D + fac D(x2, s), to t_next_, plus noise of su
            var (down2, up2) = AncestralStep(sigmaT, Math.Exp(-tNext), options.Eta);
            var t2 = -Math.Log(down2);
            var c = (float)(Math.Exp(-t2) / sigmaT);
            var e = (float)Expm1(t - t2);
            var keep = (float)(1 - fac);
            var take = (float)fac;
            noise.Draw(fresh);
            var scale2 = (float)(options.SNoise * up2);
            for (var j = 0; j < x.Length; j++)
            {
                var mixed = keep * denoised[j] + take * Denoised[j];
                x[j] = c * x[j] - e * mixed + fresh[j] * scale2;
            }
        }
    }
}
