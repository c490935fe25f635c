namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// A1111 "LCM": <c>sample_lcm</c> (<c>modules/sd_samplers_lcm.py</c>) over <see cref="LcmDenoiser"/>. Each step takes
/// the denoised prediction and noises it to the next sigma with fresh noise from the step generators (A1111's default
/// noise sampler is <c>randn_like</c>); the last step returns the prediction.
/// </summary>
public sealed class LcmSampler : KSampler
{
    public override bool Ancestral => true;

    public override IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise)
    {
        var fresh = new float[x.Length];
        for (var i = 0; i < sigmas.Length - 1; i++)
        {
            yield return new Evaluation(x, sigmas[i]);

            Denoised.CopyTo(x, 0);
            if (sigmas[i + 1] > 0)
            {
                AddNoise(x, noise, fresh, sigmas[i + 1]);
            }
        }
    }
}
