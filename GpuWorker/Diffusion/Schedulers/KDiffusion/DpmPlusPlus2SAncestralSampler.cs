namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// A1111 "DPM++ 2S a": k-diffusion <c>sample_dpmpp_2s_ancestral</c>, DPM-Solver++(2S) (Lu et al. 2022, arXiv:2211.01095,
/// Algorithm 1 with r = 1/2) to sigma_down, then fresh noise of sigma_up. Legend: t = -log sigma, h = t_next - t.
/// </summary>
public sealed class DpmPlusPlus2SAncestralSampler(KSamplerOptions options) : KSampler
{
    public override bool Ancestral => true;

    public override IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise)
    {
        var fresh = new float[x.Length];
        var x2 = new float[x.Length];
        for (var i = 0; i < sigmas.Length - 1; i++)
        {
            yield return new Evaluation(x, sigmas[i]);
            var (down, up) = AncestralStep(sigmas[i], sigmas[i + 1], options.Eta);
            if (down == 0)
            {
                EulerStep(x, sigmas[i], down);
            }
            else
            {
                // 1. midpoint s = t + h / 2: x2 = (sigma_s / sigma_t) x - (e^{-h/2} - 1) D
                var t = -Math.Log(sigmas[i]);
                var tNext = -Math.Log(down);
                var h = tNext - t;
                var sigmaS = Math.Exp(-(t + h / 2));
                var a = (float)(sigmaS / sigmas[i]);
                var b = (float)Expm1(-h / 2);
                for (var j = 0; j < x.Length; j++)
                {
                    x2[j] = a * x[j] - b * Denoised[j];
                }

                // 2. x = (sigma_down / sigma_t) x - (e^{-h} - 1) D(x2, sigma_s)
                yield return new Evaluation(x2, sigmaS);
                var c = (float)(Math.Exp(-tNext) / sigmas[i]);
                var e = (float)Expm1(-h);
                for (var j = 0; j < x.Length; j++)
                {
                    x[j] = c * x[j] - e * Denoised[j];
                }
            }

            if (sigmas[i + 1] > 0)
            {
                AddNoise(x, noise, fresh, options.SNoise * up);
            }
        }
    }
}
