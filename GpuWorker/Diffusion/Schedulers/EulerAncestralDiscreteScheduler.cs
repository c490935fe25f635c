using SdServerless.GpuWorker.Diffusion.Noise;
namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// A1111 "Euler a": Euler steps down to sigma_down, then fresh noise of sigma_up (k-diffusion <c>sample_euler_ancestral</c>, eta 1).
/// Legend: x = sample, sigma = this step's noise level, eps = model output, x0 = denoised prediction, n = new noise.
/// </summary>
public sealed class EulerAncestralDiscreteScheduler(SchedulerConfig config) : IScheduler
{
    private readonly NoiseSchedule schedule = new(config);
    private readonly PredictionType prediction = PredictionTypes.Parse(config.PredictionType);
    private float[] timesteps = [];
    private double[] sigmas = [];
    private readonly NoisePrefetch freshNoise = new();

    public IReadOnlyList<float> Timesteps => timesteps;

    public IReadOnlyList<double> Sigmas => sigmas;

    public float InitNoiseSigma { get; private set; } = 1f;

    public void SetTimesteps(int steps) => (timesteps, sigmas, InitNoiseSigma) = SigmaTimesteps.Compute(config, schedule, steps, followKarras: false);

    /// <summary>The ancestral split of the step from sigma to the next sigma: sigma_up^2 + sigma_down^2 = sigma_next^2.</summary>
    public (double SigmaUp, double SigmaDown) AncestralSigmas(int stepIndex)
    {
        var sigmaFrom = SigmaOf(stepIndex);
        var sigmaTo = sigmas[stepIndex + 1];
        var sigmaUp = Math.Sqrt(sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo) / (sigmaFrom * sigmaFrom));
        var sigmaDown = Math.Sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
        return (sigmaUp, sigmaDown);
    }

    // Copied from EulerDiscreteScheduler.ScaleModelInput
    public void ScaleModelInput(ReadOnlySpan<float> sample, Span<float> destination, int stepIndex)
    {
        var sigma = SigmaOf(stepIndex);
        var scale = (float)(1.0 / Math.Sqrt(sigma * sigma + 1));
        for (var i = 0; i < sample.Length; i++)
        {
            destination[i] = sample[i] * scale;
        }
    }

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, LatentNoise noise)
    {
        // 1. sigmas: this step's, and the split of the next one into a deterministic and a noise part
        var sigma = SigmaOf(stepIndex);
        var (sigmaUp, sigmaDown) = AncestralSigmas(stepIndex);

        // 2. fresh noise n for every image from its own generator; the next step's is drawn while the UNet runs
        var noiseBuffer = freshNoise.Take(noise, sample.Length, drawAhead: stepIndex + 1 < timesteps.Length);

        var s = (float)sigma;
        var dt = (float)(sigmaDown - sigma);
        var up = (float)sigmaUp;
        var vScale = (float)(-sigma / Math.Sqrt(sigma * sigma + 1));
        var vSample = (float)(1 / (sigma * sigma + 1));
        for (var i = 0; i < sample.Length; i++)
        {
            // 3. x0 from the model output
            var x = sample[i];
            var x0 = prediction switch
            {
                PredictionType.Epsilon => x - s * modelOutput[i],
                PredictionType.VPrediction => modelOutput[i] * vScale + x * vSample,
                _ => modelOutput[i],
            };

            // 4. Euler step to sigma_down, then add sigma_up * n
            sample[i] = x + (x - x0) / s * dt + noiseBuffer[i] * up;
        }
    }

    // Copied from EulerDiscreteScheduler.AddNoise
    public void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int stepIndex)
    {
        var sigma = (float)SigmaOf(stepIndex);
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] += noise[i] * sigma;
        }
    }

    // Copied from EulerDiscreteScheduler.SigmaOf
    private double SigmaOf(int stepIndex) =>
        timesteps.Length == 0
            ? throw new InvalidOperationException("Call SetTimesteps before using the scheduler")
            : sigmas[stepIndex];
}
