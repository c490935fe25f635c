using SdServerless.GpuWorker.Diffusion.Noise;
namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>Settings only DPM-Solver uses.</summary>
/// <param name="UseKarrasSigmas">A1111 "DPM++ 2M Karras" when true, "DPM++ 2M" when false (Karras all the same when the model's config sets <c>use_karras_sigmas</c>, as in diffusers).</param>
public sealed record DpmSolverOptions(bool UseKarrasSigmas);

/// <summary>
/// A1111 "DPM++ 2M": DPM-Solver++ (Lu et al. 2022, arXiv:2211.01095), second-order multistep, data prediction,
/// first order on the first and the last step (<c>lower_order_final</c>, final sigma 0).
/// Legend (VP form): alpha_t = 1 / sqrt(sigma^2 + 1), sigma_t = sigma * alpha_t, lambda_t = log(alpha_t / sigma_t),
/// h = lambda_t - lambda_s0, x0 = data prediction D, m1 = the previous step's data prediction.
/// </summary>
public sealed class DpmSolverMultistepScheduler(SchedulerConfig config, DpmSolverOptions options) : IScheduler
{
    private readonly NoiseSchedule schedule = new(config);
    private readonly PredictionType prediction = PredictionTypes.Parse(config.PredictionType);
    private float[] timesteps = [];
    private double[] sigmas = [];
    private float[] dataPrediction = [];
    private float[] previousDataPrediction = [];
    private double previousSigma;
    private int stepsTaken;

    public IReadOnlyList<float> Timesteps => timesteps;

    /// <summary>Noise level (VE form) per step, plus the final 0.</summary>
    public IReadOnlyList<double> Sigmas => sigmas;

    public float InitNoiseSigma => 1f;

    public void SetTimesteps(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var trainSteps = config.NumTrainTimesteps;
        var spacing = config.TimestepSpacing ?? "linspace";
        var raw = new double[steps];
        switch (spacing)
        {
            case "linspace":
                // np.linspace(0, T - 1, N + 1).round()[::-1][:-1]
                for (var i = 0; i < steps; i++)
                {
                    raw[i] = Math.Round((trainSteps - 1) * (double)(steps - i) / steps, MidpointRounding.ToEven);
                }

                break;
            case "leading":
                // (np.arange(0, N + 1) * (T // (N + 1))).round()[::-1][:-1] + steps_offset
                for (var i = 0; i < steps; i++)
                {
                    raw[i] = (steps - i) * (trainSteps / (steps + 1)) + config.StepsOffset;
                }

                break;
            case "trailing":
                // np.arange(T, 0, -T / N).round() - 1
                for (var i = 0; i < steps; i++)
                {
                    raw[i] = Math.Round(trainSteps - i * (double)trainSteps / steps, MidpointRounding.ToEven) - 1;
                }

                break;
            default:
                throw new ArgumentException($"timestep_spacing '{spacing}' is not supported (linspace, leading, trailing)", nameof(config));
        }

        sigmas = new double[steps + 1];
        timesteps = new float[steps];
        if (options.UseKarrasSigmas || config.UseKarrasSigmas == true)
        {
            // Karras et al. 2022 eq. 5 between the schedule's extremes; timesteps are the rounded inverse of each sigma.
            var karras = NoiseSchedule.KarrasSigmas(schedule.SigmaMin, schedule.SigmaMax, steps);
            for (var i = 0; i < steps; i++)
            {
                sigmas[i] = karras[i];
                timesteps[i] = (float)Math.Round(schedule.SigmaToTimestep(karras[i]), MidpointRounding.ToEven);
            }
        }
        else
        {
            for (var i = 0; i < steps; i++)
            {
                sigmas[i] = schedule.SigmaAt(raw[i]);
                timesteps[i] = (float)raw[i];
            }
        }

        sigmas[steps] = 0;
        stepsTaken = 0;
    }

    public void ScaleModelInput(ReadOnlySpan<float> sample, Span<float> destination, int stepIndex)
    {
        EnsureTimesteps();
        sample.CopyTo(destination);
    }

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, LatentNoise noise)
    {
        EnsureTimesteps();
        if (dataPrediction.Length != sample.Length)
        {
            dataPrediction = new float[sample.Length];
            previousDataPrediction = new float[sample.Length];
            stepsTaken = 0;
        }

        // 1. sigmas of this step (s0) and the next (t), in VP form
        var sigmaS0 = sigmas[stepIndex];
        var sigmaNext = sigmas[stepIndex + 1];
        var (alphaS0, vpSigmaS0) = ToAlphaSigma(sigmaS0);

        // 2. data prediction x0 = (x - sigma_t eps) / alpha_t (DPM-Solver++ uses the data-prediction model)
        var a = (float)alphaS0;
        var sg = (float)vpSigmaS0;
        for (var i = 0; i < sample.Length; i++)
        {
            var x = sample[i];
            var output = modelOutput[i];
            dataPrediction[i] = prediction switch
            {
                PredictionType.Epsilon => (x - sg * output) / a,
                PredictionType.VPrediction => a * x - sg * output,
                _ => output,
            };
        }

        var isLast = stepIndex == timesteps.Length - 1;
        if (sigmaNext == 0)
        {
            // 3a. final step to sigma 0: x = x0 (the first-order update's limit as lambda_t -> infinity)
            dataPrediction.CopyTo(sample);
        }
        else
        {
            var (alphaT, vpSigmaT) = ToAlphaSigma(sigmaNext);
            var lambdaT = Math.Log(alphaT) - Math.Log(vpSigmaT);
            var lambdaS0 = Math.Log(alphaS0) - Math.Log(vpSigmaS0);
            var h = lambdaT - lambdaS0;
            var sampleScale = (float)(vpSigmaT / vpSigmaS0);
            var d0Scale = (float)(-alphaT * (Math.Exp(-h) - 1));
            if (stepsTaken < 1 || isLast)
            {
                // 3b. first order (eq. 16 of the DPM-Solver++ paper): x_t = (sigma_t / sigma_s) x - alpha_t (e^-h - 1) x0
                for (var i = 0; i < sample.Length; i++)
                {
                    sample[i] = sampleScale * sample[i] + d0Scale * dataPrediction[i];
                }
            }
            else
            {
                // 3c. second order multistep (Algorithm 2): D1 = (m0 - m1) / r0, r0 = h0 / h
                var (alphaS1, vpSigmaS1) = ToAlphaSigma(previousSigma);
                var lambdaS1 = Math.Log(alphaS1) - Math.Log(vpSigmaS1);
                var r0 = (lambdaS0 - lambdaS1) / h;
                var d1Scale = (float)(0.5 * -alphaT * (Math.Exp(-h) - 1) / r0);
                for (var i = 0; i < sample.Length; i++)
                {
                    var m0 = dataPrediction[i];
                    sample[i] = sampleScale * sample[i] + d0Scale * m0 + d1Scale * (m0 - previousDataPrediction[i]);
                }
            }
        }

        // 4. keep this step's x0 for the next one
        (previousDataPrediction, dataPrediction) = (dataPrediction, previousDataPrediction);
        previousSigma = sigmaS0;
        stepsTaken++;
    }

    public void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int stepIndex)
    {
        // x_t = alpha_t x0 + sigma_t n (VP form)
        EnsureTimesteps();
        var (alpha, sigma) = ToAlphaSigma(sigmas[stepIndex]);
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = (float)alpha * sample[i] + (float)sigma * noise[i];
        }
    }

    private static (double Alpha, double Sigma) ToAlphaSigma(double sigma)
    {
        var alpha = 1 / Math.Sqrt(sigma * sigma + 1);
        return (alpha, sigma * alpha);
    }

    private void EnsureTimesteps()
    {
        if (timesteps.Length == 0)
        {
            throw new InvalidOperationException("Call SetTimesteps before using the scheduler");
        }
    }
}
