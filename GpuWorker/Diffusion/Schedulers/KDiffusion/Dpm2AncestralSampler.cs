namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>A1111 "DPM2 a": k-diffusion <c>sample_dpm_2_ancestral</c>, DPM-Solver-2 to sigma_down, then noise of sigma_up.</summary>
public sealed class Dpm2AncestralSampler(KSamplerOptions options) : KSampler
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
            var s = (float)sigmas[i];
            if (down == 0)
            {
                EulerStep(x, sigmas[i], down);

                continue;
            }

            var sigmaMid = Math.Exp((Math.Log(sigmas[i]) + Math.Log(down)) / 2);
            var dt1 = (float)(sigmaMid - sigmas[i]);
            var dt2 = (float)(down - sigmas[i]);
            for (var j = 0; j < x.Length; j++)
            {
                x2[j] = x[j] + (x[j] - Denoised[j]) / s * dt1;
            }

            yield return new Evaluation(x2, sigmaMid);
            var mid = (float)sigmaMid;
            noise.Draw(fresh);
            var scale = (float)(options.SNoise * up);
            for (var j = 0; j < x.Length; j++)
            {
                x[j] += (x2[j] - Denoised[j]) / mid * dt2 + fresh[j] * scale;
            }
        }
    }
}
