namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// The UNet as a denoiser D(x, sigma), as AUTOMATIC1111's <c>CompVisDenoiser</c> (epsilon) and <c>CompVisVDenoiser</c>
/// (v) make it: the UNet sees <c>x / sqrt(sigma^2 + 1)</c> at timestep <c>sigma_to_t(sigma)</c> (fractional), and its
/// output becomes D. Other samplers' wrappers (<see cref="LcmDenoiser"/>) change the timestep and the output.
/// </summary>
public class CompVisDenoiser(KDiffusionSchedule schedule, PredictionType prediction)
{
    public KDiffusionSchedule Schedule { get; } = schedule;

    /// <summary>The UNet's timestep for a sigma.</summary>
    public virtual double Timestep(double sigma) => Schedule.SigmaToT(sigma);

    /// <summary>Writes D(x, sigma) from the UNet's output at <paramref name="at"/> (the unscaled sample).</summary>
    public virtual void Denoise(ReadOnlySpan<float> modelOutput, float[] at, double sigma, float[] denoised)
    {
        var s = (float)sigma;
        var vScale = (float)(-sigma / Math.Sqrt(sigma * sigma + 1));
        var vSample = (float)(1 / (sigma * sigma + 1));
        for (var i = 0; i < at.Length; i++)
        {
            denoised[i] = prediction switch
            {
                PredictionType.Epsilon => at[i] - s * modelOutput[i],
                PredictionType.VPrediction => modelOutput[i] * vScale + at[i] * vSample,
                _ => modelOutput[i],
            };
        }
    }
}
