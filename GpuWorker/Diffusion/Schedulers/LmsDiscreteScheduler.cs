using SdServerless.GpuWorker.Diffusion.Noise;
namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// A1111 "LMS": linear multistep in sigma (k-diffusion <c>sample_lms</c>, order 4). The coefficient of each past
/// derivative is the integral of its Lagrange basis polynomial from sigma_i to sigma_{i+1}.
/// Legend: x = sample, sigma = this step's noise level, d_k = (x - x0) / sigma of step i - k, c_k = its coefficient.
/// </summary>
public sealed class LmsDiscreteScheduler(SchedulerConfig config) : IScheduler
{
    public const int Order = 4;

    // 4-point Gauss-Legendre nodes and weights on [-1, 1]: exact for the degree-3 Lagrange polynomials integrated here.
    private static readonly double[] GaussNodes = [-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526];
    private static readonly double[] GaussWeights = [0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538];

    private readonly NoiseSchedule schedule = new(config);
    private readonly PredictionType prediction = PredictionTypes.Parse(config.PredictionType);
    private readonly float[][] derivatives = new float[Order][];
    private float[] timesteps = [];
    private double[] sigmas = [];
    private int stepsTaken;
    private int newest = -1;

    public IReadOnlyList<float> Timesteps => timesteps;

    public IReadOnlyList<double> Sigmas => sigmas;

    public float InitNoiseSigma { get; private set; } = 1f;

    public void SetTimesteps(int steps)
    {
        (timesteps, sigmas, InitNoiseSigma) = SigmaTimesteps.Compute(config, schedule, steps);
        stepsTaken = 0;
        newest = -1;
    }

    /// <summary>c_k for the derivative of step <paramref name="stepIndex"/> - k, given <paramref name="order"/> known derivatives.</summary>
    public double LmsCoefficient(int order, int stepIndex, int k)
    {
        var from = sigmas[stepIndex];
        var to = sigmas[stepIndex + 1];
        var half = (to - from) / 2;
        var mid = (to + from) / 2;
        var integral = 0.0;
        for (var g = 0; g < GaussNodes.Length; g++)
        {
            var tau = mid + half * GaussNodes[g];
            var basis = 1.0;
            for (var j = 0; j < order; j++)
            {
                if (j != k)
                {
                    basis *= (tau - sigmas[stepIndex - j]) / (sigmas[stepIndex - k] - sigmas[stepIndex - j]);
                }
            }

            integral += GaussWeights[g] * basis;
        }

        return integral * half;
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
        var sigma = SigmaOf(stepIndex);
        if (derivatives[0]?.Length != sample.Length)
        {
            for (var k = 0; k < Order; k++)
            {
                derivatives[k] = new float[sample.Length];
            }

            stepsTaken = 0;
        }

        // 1. d = (x - x0) / sigma, stored in a ring of the last Order derivatives
        newest = (newest + 1) % Order;
        var d = derivatives[newest];
        var s = (float)sigma;
        var vScale = (float)(-sigma / Math.Sqrt(sigma * sigma + 1));
        var vSample = (float)(1 / (sigma * sigma + 1));
        for (var i = 0; i < sample.Length; i++)
        {
            var x = sample[i];
            var x0 = prediction switch
            {
                PredictionType.Epsilon => x - s * modelOutput[i],
                PredictionType.VPrediction => modelOutput[i] * vScale + x * vSample,
                _ => modelOutput[i],
            };
            d[i] = (x - x0) / s;
        }

        // 2. order: as many past derivatives as this run has (an image-to-image run starts with one)
        stepsTaken++;
        var order = Math.Min(Math.Min(stepsTaken, Order), stepIndex + 1);

        // 3. x_next = x + sum_k c_k d_{i-k}
        for (var k = 0; k < order; k++)
        {
            var c = (float)LmsCoefficient(order, stepIndex, k);
            var past = derivatives[(newest - k + Order) % Order];
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] += c * past[i];
            }
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
