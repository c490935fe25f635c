namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>A1111 "DPM++ 2M" on the schedules diffusers' scheduler does not run: k-diffusion <c>sample_dpmpp_2m</c>.</summary>
public sealed class DpmPlusPlus2MSampler : KSampler
{
    public override IEnumerable<Evaluation> Sample(float[] x, double[] sigmas, StepNoise noise)
    {
        var old = new float[x.Length];
        var hasOld = false;
        for (var i = 0; i < sigmas.Length - 1; i++)
        {
            yield return new Evaluation(x, sigmas[i]);

            // t = -log sigma; x = (sigma_next / sigma) x - (e^{-h} - 1) D_d
            var t = -Math.Log(sigmas[i]);
            var tNext = -Math.Log(sigmas[i + 1]);
            var h = tNext - t;
            var a = (float)(sigmas[i + 1] / sigmas[i]);
            var b = (float)(sigmas[i + 1] == 0 ? -1 : Expm1(-h));
            if (!hasOld || sigmas[i + 1] == 0)
            {
                for (var j = 0; j < x.Length; j++)
                {
                    x[j] = a * x[j] - b * Denoised[j];
                }
            }
            else
            {
                // D_d = (1 + 1 / (2r)) D - (1 / (2r)) D_old, r = h_last / h
                var r = (t + Math.Log(sigmas[i - 1])) / h;
                var p = (float)(1 + 1 / (2 * r));
                var q = (float)(1 / (2 * r));
                for (var j = 0; j < x.Length; j++)
                {
                    x[j] = a * x[j] - b * (p * Denoised[j] - q * old[j]);
                }
            }

            Denoised.CopyTo(old, 0);
            hasOld = true;
        }
    }
}
