using SdServerless.GpuWorker.Diffusion.Noise;
namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>Settings only DDIM uses.</summary>
/// <param name="Eta">0 = deterministic DDIM; 1 = DDPM-like variance.</param>
public sealed record DdimOptions(float Eta = 0f);

/// <summary>
/// A1111 "DDIM" (Song et al. 2020, "Denoising Diffusion Implicit Models").
/// Legend: alpha_t = alpha-bar_t (alphas_cumprod), beta_t = 1 - alpha_t, x = x_t, eps = model output,
/// x0 = predicted x_0, sigma_t = eta * sqrt(variance) (eq. 16).
/// </summary>
public sealed class DdimScheduler(SchedulerConfig config, DdimOptions? options = null) : IScheduler
{
    private readonly NoiseSchedule schedule = new(config);
    private readonly PredictionType prediction = PredictionTypes.Parse(config.PredictionType);
    private readonly float eta = (options ?? new DdimOptions()).Eta;
    private float[] timesteps = [];
    private int stepRatio;
    private float[] noiseBuffer = [];

    public IReadOnlyList<float> Timesteps => timesteps;

    public float InitNoiseSigma => 1f;

    public void SetTimesteps(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(steps, config.NumTrainTimesteps);
        var trainSteps = config.NumTrainTimesteps;
        var spacing = config.TimestepSpacing ?? "leading";
        var result = new float[steps];
        switch (spacing)
        {
            case "linspace":
                // np.linspace(0, T - 1, N).round()[::-1]
                for (var i = 0; i < steps; i++)
                {
                    result[steps - 1 - i] = (float)Math.Round(steps == 1 ? 0 : (trainSteps - 1) * (double)i / (steps - 1), MidpointRounding.ToEven);
                }

                break;
            case "leading":
                // (np.arange(0, N) * (T // N))[::-1] + steps_offset
                for (var i = 0; i < steps; i++)
                {
                    result[steps - 1 - i] = i * (trainSteps / steps) + config.StepsOffset;
                }

                break;
            case "trailing":
                // np.round(np.arange(T, 0, -T / N)) - 1
                for (var i = 0; i < steps; i++)
                {
                    result[i] = (float)(Math.Round(trainSteps - i * (double)trainSteps / steps, MidpointRounding.ToEven) - 1);
                }

                break;
            default:
                throw new ArgumentException($"timestep_spacing '{spacing}' is not supported (linspace, leading, trailing)", nameof(config));
        }

        timesteps = result;
        stepRatio = trainSteps / steps;
    }

    public void ScaleModelInput(ReadOnlySpan<float> sample, Span<float> destination, int stepIndex)
    {
        EnsureTimesteps();
        sample.CopyTo(destination);
    }

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, LatentNoise noise)
    {
        EnsureTimesteps();

        // 1. previous timestep t - T/N (eq. 12 runs the reverse process on the sub-sequence)
        var t = (int)timesteps[stepIndex];
        var prevT = t - stepRatio;

        // 2. alphas, betas
        var alphaT = schedule.AlphasCumprod[t];
        var finalAlpha = config.SetAlphaToOne ?? true ? 1.0 : schedule.AlphasCumprod[0];
        var alphaPrev = prevT >= 0 ? schedule.AlphasCumprod[prevT] : finalAlpha;
        var betaT = 1 - alphaT;
        var betaPrev = 1 - alphaPrev;

        // 3. variance sigma_t^2 = (beta_prev / beta_t) * (1 - alpha_t / alpha_prev) (eq. 16), std = eta * sigma_t
        var variance = betaPrev / betaT * (1 - alphaT / alphaPrev);
        var std = eta * Math.Sqrt(variance);
        if (std > 0)
        {
            if (noiseBuffer.Length != sample.Length)
            {
                noiseBuffer = new float[sample.Length];
            }

            noise.Fill(noiseBuffer);
        }

        var sqrtAlphaT = (float)Math.Sqrt(alphaT);
        var sqrtBetaT = (float)Math.Sqrt(betaT);
        var sqrtAlphaPrev = (float)Math.Sqrt(alphaPrev);
        var direction = (float)Math.Sqrt(Math.Max(1 - alphaPrev - std * std, 0));
        var clip = config.ClipSample ?? true;
        var range = (float)config.ClipSampleRange;
        var noiseScale = (float)std;
        for (var i = 0; i < sample.Length; i++)
        {
            // 4. x0 and eps from the model output (eq. 12, "predicted x0")
            var x = sample[i];
            var output = modelOutput[i];
            float x0, eps;
            switch (prediction)
            {
                case PredictionType.Epsilon:
                    x0 = (x - sqrtBetaT * output) / sqrtAlphaT;
                    eps = output;
                    break;
                case PredictionType.VPrediction:
                    x0 = sqrtAlphaT * x - sqrtBetaT * output;
                    eps = sqrtAlphaT * output + sqrtBetaT * x;
                    break;
                default:
                    x0 = output;
                    eps = (x - sqrtAlphaT * x0) / sqrtBetaT;
                    break;
            }

            // 5. optional clipping of x0, as configured
            if (clip)
            {
                x0 = Math.Clamp(x0, -range, range);
            }

            // 6. x_prev = sqrt(alpha_prev) x0 + sqrt(1 - alpha_prev - sigma_t^2) eps + sigma_t n (eq. 12)
            var next = sqrtAlphaPrev * x0 + direction * eps;
            if (noiseScale > 0)
            {
                next += noiseScale * noiseBuffer[i];
            }

            sample[i] = next;
        }
    }

    public void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int stepIndex)
    {
        // x_t = sqrt(alpha_t) x0 + sqrt(1 - alpha_t) n (eq. 4 of Ho et al. 2020)
        EnsureTimesteps();
        var alpha = schedule.AlphasCumprod[(int)timesteps[stepIndex]];
        var a = (float)Math.Sqrt(alpha);
        var b = (float)Math.Sqrt(1 - alpha);
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = a * sample[i] + b * noise[i];
        }
    }

    private void EnsureTimesteps()
    {
        if (timesteps.Length == 0)
        {
            throw new InvalidOperationException("Call SetTimesteps before using the scheduler");
        }
    }
}
