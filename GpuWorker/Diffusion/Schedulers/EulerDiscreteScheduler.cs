using SdServerless.GpuWorker.Diffusion.Noise;
namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// A1111 "Euler": Euler's method on the probability-flow ODE (Karras et al. 2022, Algorithm 2 with churn 0).
/// Legend: x = sample, sigma = noise level of this step, eps = model output, x0 = denoised prediction, d = dx/dsigma.
/// </summary>
public sealed class EulerDiscreteScheduler(SchedulerConfig config) : IScheduler
{
    private readonly NoiseSchedule schedule = new(config);
    private readonly PredictionType prediction = PredictionTypes.Parse(config.PredictionType);
    private float[] timesteps = [];
    private double[] sigmas = [];

    public IReadOnlyList<float> Timesteps => timesteps;

    /// <summary>Noise level per step, plus the final 0.</summary>
    public IReadOnlyList<double> Sigmas => sigmas;

    public float InitNoiseSigma { get; private set; } = 1f;

    public void SetTimesteps(int steps) => (timesteps, sigmas, InitNoiseSigma) = SigmaTimesteps.Compute(config, schedule, steps);

    /// <summary>The UNet expects unit-variance input: x / sqrt(sigma^2 + 1).</summary>
    public float InputScale(int stepIndex) => (float)(1.0 / Math.Sqrt(SigmaOf(stepIndex) * SigmaOf(stepIndex) + 1));

    public void ScaleModelInput(ReadOnlySpan<float> sample, Span<float> destination, int stepIndex)
    {
        var scale = InputScale(stepIndex);
        for (var i = 0; i < sample.Length; i++)
        {
            destination[i] = sample[i] * scale;
        }
    }

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, LatentNoise noise)
    {
        // 1. sigma of this step and of the next (the last one is 0)
        var sigma = SigmaOf(stepIndex);
        var sigmaNext = sigmas[stepIndex + 1];

        // 2. dt, the Euler step in sigma (Karras eq. 4: dx/dsigma = (x - x0) / sigma)
        var dt = (float)(sigmaNext - sigma);
        var s = (float)sigma;
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

            // 4. d = (x - x0) / sigma, x_next = x + d * dt
            sample[i] = x + (x - x0) / s * dt;
        }
    }

    public void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int stepIndex)
    {
        // x_sigma = x0 + sigma * n
        var sigma = (float)SigmaOf(stepIndex);
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] += noise[i] * sigma;
        }
    }

    private double SigmaOf(int stepIndex) =>
        timesteps.Length == 0
            ? throw new InvalidOperationException("Call SetTimesteps before using the scheduler")
            : sigmas[stepIndex];
}
