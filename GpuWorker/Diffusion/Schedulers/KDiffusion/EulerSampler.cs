namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>A1111 "Euler" on any schedule: k-diffusion <c>sample_euler</c> (Karras et al. 2022, Algorithm 2, Euler steps, with churn).</summary>
public sealed class EulerSampler(KSamplerOptions options) : KSampler
{
    public override IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise)
    {
        var eps = new float[x.Length];
        var steps = sigmas.Length - 1;
        for (var i = 0; i < steps; i++)
        {
            // 1. churn: sigma_hat = sigma (1 + gamma)
            var sigmaHat = Churn(x, sigmas[i], steps, options, noise, eps);

            // 2. denoise at sigma_hat, d = (x - D) / sigma_hat, Euler step to the next sigma
            yield return new Evaluation(x, sigmaHat);
            EulerStep(x, sigmaHat, sigmas[i + 1]);
        }
    }
}
