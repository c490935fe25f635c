namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>A1111 "Heun": k-diffusion <c>sample_heun</c> (Karras et al. 2022, Algorithm 2): two evaluations a step, Euler on the last.</summary>
public sealed class HeunSampler(KSamplerOptions options) : KSampler
{
    public override IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise)
    {
        var eps = new float[x.Length];
        var d = new float[x.Length];
        var x2 = new float[x.Length];
        var steps = sigmas.Length - 1;
        for (var i = 0; i < steps; i++)
        {
            var sigmaHat = Churn(x, sigmas[i], steps, options, noise, eps);
            yield return new Evaluation(x, sigmaHat);
            var s = (float)sigmaHat;
            var dt = (float)(sigmas[i + 1] - sigmaHat);
            for (var j = 0; j < x.Length; j++)
            {
                d[j] = (x[j] - Denoised[j]) / s;
            }

            if (sigmas[i + 1] == 0)
            {
                // Euler on the step to 0
                for (var j = 0; j < x.Length; j++)
                {
                    x[j] += d[j] * dt;
                }

                continue;
            }

            // Heun: x2 = x + d dt, d2 at x2, x += (d + d2) / 2 dt
            for (var j = 0; j < x.Length; j++)
            {
                x2[j] = x[j] + d[j] * dt;
            }

            yield return new Evaluation(x2, sigmas[i + 1]);
            var next = (float)sigmas[i + 1];
            for (var j = 0; j < x.Length; j++)
            {
                var d2 = (x2[j] - Denoised[j]) / next;
                x[j] += (d[j] + d2) / 2 * dt;
            }
        }
    }
}
