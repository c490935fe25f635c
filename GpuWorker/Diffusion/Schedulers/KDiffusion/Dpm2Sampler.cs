namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>A1111 "DPM2": k-diffusion <c>sample_dpm_2</c>, DPM-Solver-2's midpoint in log sigma with Karras' churn.</summary>
public sealed class Dpm2Sampler(KSamplerOptions options) : KSampler
{
    public override IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise)
    {
        var eps = new float[x.Length];
        var x2 = new float[x.Length];
        var steps = sigmas.Length - 1;
        for (var i = 0; i < steps; i++)
        {
            var sigmaHat = Churn(x, sigmas[i], steps, options, noise, eps);
            yield return new Evaluation(x, sigmaHat);
            var s = (float)sigmaHat;
            if (sigmas[i + 1] == 0)
            {
                EulerStep(x, sigmaHat, sigmas[i + 1]);

                continue;
            }

            // sigma_mid = exp(lerp(log sigma_hat, log sigma_next, 1/2)); x2 = x + d (sigma_mid - sigma_hat); x += d2 (sigma_next - sigma_hat)
            var sigmaMid = Math.Exp((Math.Log(sigmaHat) + Math.Log(sigmas[i + 1])) / 2);
            var dt1 = (float)(sigmaMid - sigmaHat);
            var dt2 = (float)(sigmas[i + 1] - sigmaHat);
            for (var j = 0; j < x.Length; j++)
            {
                x2[j] = x[j] + (x[j] - Denoised[j]) / s * dt1;
            }

            yield return new Evaluation(x2, sigmaMid);
            var mid = (float)sigmaMid;
            for (var j = 0; j < x.Length; j++)
            {
                x[j] += (x2[j] - Denoised[j]) / mid * dt2;
            }
        }
    }
}
