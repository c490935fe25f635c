namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>A1111 "Euler a" on any schedule: k-diffusion <c>sample_euler_ancestral</c>.</summary>
public sealed class EulerAncestralSampler(KSamplerOptions options) : KSampler
{
    public override bool Ancestral => true;

    public override IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise)
    {
        var fresh = new float[x.Length];
        for (var i = 0; i < sigmas.Length - 1; i++)
        {
            yield return new Evaluation(x, sigmas[i]);

            // 1. Euler step to sigma_down, 2. fresh noise of sigma_up
            var (down, up) = AncestralStep(sigmas[i], sigmas[i + 1], options.Eta);
            EulerStep(x, sigmas[i], down);

            if (sigmas[i + 1] > 0)
            {
                AddNoise(x, noise, fresh, options.SNoise * up);
            }
        }
    }
}
