using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;
namespace SdServerless.GpuWorker.Diffusion.Schedulers.UniPc;

/// <summary>A1111's UniPC settings (<c>uni_pc_variant</c>, <c>uni_pc_order</c>, <c>uni_pc_lower_order_final</c>), at their defaults.</summary>
/// <param name="Order">The solver's order (A1111's default 3); lowered to the number of steps when there are fewer.</param>
/// <param name="LowerOrderFinal">Lower the order over the last steps, as A1111 does by default.</param>
/// <param name="Bh2">Variant bh2 (B(h) = e^h - 1) instead of A1111's default bh1 (B(h) = h).</param>
public sealed record UniPcOptions(int Order = 3, bool LowerOrderFinal = true, bool Bh2 = false);

/// <summary>
/// A1111 "UniPC" (Zhao et al. 2023), as AUTOMATIC1111 1.10 runs it (<c>sd_samplers_timesteps_impl.unipc</c> over
/// <c>modules/models/diffusion/uni_pc</c>): the multistep predictor-corrector on data predictions over
/// <see cref="DiscreteVpSchedule"/>, variant bh1, order 3 with lower_order_final, time_uniform steps from t = 1 to 1/N,
/// no final denoise. Latents are VP samples (initial noise of standard deviation 1, the UNet's input unscaled); the UNet
/// sees <c>(t - 1/N) * 1000</c> and answers epsilon (or v, turned into epsilon at the truncated timestep).
/// A1111 runs one step per entry of <c>range(0, 1000, 1000 // steps)</c>, so 30 steps run 31.
/// Legend: x = sample, m = data prediction x0 at a step, t = continuous time, lambda = half log-SNR.
/// Each model evaluation k is at the predictor's x for time t_k; its result corrects that step and predicts the next.
/// </summary>
public sealed class UniPcScheduler : IScheduler
{
    private readonly DiscreteVpSchedule schedule;
    private readonly float[] alphasCumprod;
    private readonly PredictionType prediction;
    private readonly UniPcOptions options;
    private int[] trainTimesteps = [];
    private int steps;
    private int? imageToImageSteps;
    private float[] times = [];
    private float[] timesteps = [];
    private int order;
    private float[][] models = [];
    private int evaluated;
    private float[] x = [];
    private float[] predicted = [];

    public UniPcScheduler(SchedulerConfig config, UniPcOptions? options = null)
    {
        alphasCumprod = new KDiffusionSchedule(config).AlphasCumprod;
        schedule = new DiscreteVpSchedule(alphasCumprod);
        prediction = PredictionTypes.Parse(config.PredictionType);
        this.options = options ?? new UniPcOptions();
    }

    /// <summary>The UNet's timestep at each model evaluation: <c>(t_k - 1/N) * 1000</c>, fractional in general.</summary>
    public IReadOnlyList<float> Timesteps => timesteps;

    public float InitNoiseSigma => 1f;

    /// <summary>How many steps A1111 runs for <paramref name="steps"/>: the length of <c>range(0, 1000, 1000 // steps)</c>.</summary>
    public static int A1111Steps(int steps, int trainSteps = 1000) => TrainTimesteps(steps, trainSteps).Length;

    public void SetTimesteps(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(steps, schedule.TotalSteps);
        this.steps = steps;
        trainTimesteps = TrainTimesteps(steps, schedule.TotalSteps);
        imageToImageSteps = null;
        Plan(trainTimesteps.Length, null);
    }

    /// <summary>Text-to-image runs every step; image-to-image the steps <see cref="AddNoise"/> chose. Returns 0.</summary>
    public int Begin(int startIndex, LatentNoise noise)
    {
        EnsureTimesteps();
        if (imageToImageSteps is { } n)
        {
            // CompVisSampler.sample_img2img: t_enc steps from t = timesteps[t_enc - 1] / 1000 + 1 / 1000
            Plan(n, trainTimesteps[n - 1] / 1000f + 1f / 1000);
        }

        return 0;
    }

    /// <summary>The UNet takes the VP sample as it is.</summary>
    public void ScaleModelInput(ReadOnlySpan<float> sample, Span<float> destination, int stepIndex)
    {
        EnsureTimesteps();
        sample.CopyTo(destination);
    }

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, LatentNoise noise)
    {
        EnsureTimesteps();
        if (stepIndex != evaluated)
        {
            throw new InvalidOperationException($"Step {stepIndex} was asked for; UniPC is at step {evaluated}");
        }

        if (stepIndex == 0)
        {
            // the last `order` data predictions and this step's, reused round the ring; x at the last step; the predictor
            var length = sample.Length;
            models = [.. Enumerable.Range(0, order + 1).Select(_ => new float[length])];
            x = sample.ToArray();
            predicted = new float[sample.Length];
        }

        // 1. the data prediction at this step's point: x0 = (x - sigma_t eps) / alpha_t
        var t = times[stepIndex];
        var model = Model(stepIndex);
        var alpha = schedule.Alpha(t);
        var sigma = schedule.Sigma(t);
        var truncated = (int)timesteps[stepIndex];
        var vAlpha = (float)Math.Sqrt(alphasCumprod[truncated]);
        var vSigma = (float)Math.Sqrt(1.0 - alphasCumprod[truncated]);
        for (var i = 0; i < model.Length; i++)
        {
            var eps = prediction == PredictionType.VPrediction ? vAlpha * modelOutput[i] + vSigma * sample[i] : modelOutput[i];
            model[i] = prediction == PredictionType.Sample ? modelOutput[i] : (sample[i] - sigma * eps) / alpha;
        }

        // 2. the corrector of this step (none at the first), then the predictor of the next
        if (stepIndex > 0)
        {
            Update(stepIndex, model, corrector: true);
        }

        evaluated++;
        Update(stepIndex + 1, null, corrector: false);
        predicted.CopyTo(sample);
        if (stepIndex + 1 == times.Length - 1)
        {
            // the last predictor is the result; a later run starts afresh
            evaluated = 0;
        }
    }

    /// <summary>Image-to-image: the image noised to <c>timesteps[t_enc]</c>, where t_enc = the steps left to run.</summary>
    public void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int stepIndex)
    {
        EnsureTimesteps();

        var n = ImageToImageSteps(stepIndex);
        imageToImageSteps = n;
        var a = alphasCumprod[trainTimesteps[n]];
        var keep = MathF.Sqrt(a);
        var add = MathF.Sqrt(1 - a);
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = sample[i] * keep + noise[i] * add;
        }
    }

    /// <summary>Text-to-image evaluates once a step; image-to-image once in each of the steps <see cref="AddNoise"/> will choose.</summary>
    public int EvaluationsFrom(int startIndex, bool fromImage)
    {
        EnsureTimesteps();
        return fromImage ? ImageToImageSteps(startIndex) : trainTimesteps.Length;
    }

    /// <summary>A1111 runs t_enc = int(min(strength, 0.999) * steps) steps: the engine's steps to run, at most steps - 1.</summary>
    private int ImageToImageSteps(int stepIndex)
    {
        var n = Math.Min(Math.Min(steps - stepIndex, (int)(0.999 * steps)), trainTimesteps.Length - 1);
        return n >= 1
            ? n
            : throw new GenerationInputException("unsupported_steps", $"UniPC runs image-to-image from {steps} steps as A1111 does only with at least one step to run; use more steps");
    }

    /// <summary>A1111's <c>get_timesteps</c>: <c>clip(range(0, T, T // steps) + 1, 0, T - 1)</c>.</summary>
    private static int[] TrainTimesteps(int steps, int trainSteps)
    {
        var stride = trainSteps / steps;
        return [.. Enumerable.Range(0, (trainSteps + stride - 1) / stride).Select(k => Math.Clamp(k * stride + 1, 0, trainSteps - 1))];
    }

    /// <summary>n steps on time_uniform times from <paramref name="tStart"/> (default T = 1) to 1/N; one evaluation per step.</summary>
    private void Plan(int n, float? tStart)
    {
        order = Math.Min(options.Order, n);
        var start = tStart ?? 1f;
        times = [.. SigmaSchedules.Linspace(start, 1.0 / schedule.TotalSteps, n + 1).Select(t => (float)t)];
        timesteps = [.. times.Take(n).Select(t => (t - 1f / schedule.TotalSteps) * 1000f)];
        evaluated = 0;
    }

    /// <summary>
    /// <c>multistep_uni_pc_bh_update</c> to step <paramref name="j"/> from x at step j - 1 and the data predictions so far:
    /// the predictor (into <see cref="predicted"/>), or with <paramref name="modelAtJ"/> the corrector (into x).
    /// </summary>
    private void Update(int j, float[]? modelAtJ, bool corrector)
    {
        var n = times.Length - 1;
        var stepOrder = j < order ? j : options.LowerOrderFinal ? Math.Min(order, n + 1 - j) : order;

        // 1. ratios of the earlier steps' lambdas and the bh coefficients (float32 scalars in A1111, double here)
        double lambdaPrev = schedule.Lambda(times[j - 1]);
        double h = schedule.Lambda(times[j]) - lambdaPrev;
        var rks = new double[stepOrder];
        for (var i = 1; i < stepOrder; i++)
        {
            rks[i - 1] = (schedule.Lambda(times[j - 1 - i]) - lambdaPrev) / h;
        }

        rks[stepOrder - 1] = 1;
        var hh = -h;
        var hPhi1 = Expm1(hh);
        var hPhiK = hPhi1 / hh - 1;
        var bH = options.Bh2 ? Expm1(hh) : hh;
        var r = new double[stepOrder, stepOrder];
        var b = new double[stepOrder];
        var factorial = 1.0;
        for (var i = 1; i <= stepOrder; i++)
        {
            for (var k = 0; k < stepOrder; k++)
            {
                r[i - 1, k] = Math.Pow(rks[k], i - 1);
            }

            b[i - 1] = hPhiK * factorial / bH;
            factorial *= i + 1;
            hPhiK = hPhiK / hh - 1 / factorial;
        }

        var rhos = corrector
            ? stepOrder == 1 ? [0.5] : Solve(r, b, stepOrder)
            : stepOrder == 1 ? [] : stepOrder == 2 ? [0.5] : Solve(r, b, stepOrder - 1);

        // 2. x_t_ = (sigma_t / sigma_prev) x - alpha_t h phi_1 m_prev, less alpha_t B(h) times the weighted differences
        var tJ = times[j];
        var tPrev = times[j - 1];
        var ratio = schedule.Sigma(tJ) / schedule.Sigma(tPrev);
        var alphaT = schedule.Alpha(tJ);
        var lead = (float)(alphaT * hPhi1);
        var weight = (float)(alphaT * bH);
        var m0 = Model(j - 1);
        var destination = corrector ? x : predicted;
        var earlier = new (float[] Model, float Rho, float Rk)[stepOrder - 1];
        for (var i = 1; i < stepOrder; i++)
        {
            earlier[i - 1] = (Model(j - 1 - i), (float)rhos[i - 1], (float)rks[i - 1]);
        }

        for (var p = 0; p < x.Length; p++)
        {
            // D1_i = (m_i - m_prev) / r_i, weighted by rho_i
            var residual = 0f;
            foreach (var (model, rho, rk) in earlier)
            {
                residual += rho * ((model[p] - m0[p]) / rk);
            }

            if (corrector)
            {
                residual += (float)rhos[^1] * (modelAtJ![p] - m0[p]);
            }

            destination[p] = ratio * x[p] - lead * m0[p] - weight * residual;
        }
    }

    /// <summary>Solves the leading <paramref name="size"/> x size block of R rho = b (Gaussian elimination with pivoting).</summary>
    private static double[] Solve(double[,] r, double[] b, int size)
    {
        var a = new double[size, size + 1];
        for (var i = 0; i < size; i++)
        {
            for (var k = 0; k < size; k++)
            {
                a[i, k] = r[i, k];
            }

            a[i, size] = b[i];
        }

        for (var col = 0; col < size; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < size; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }

            for (var k = 0; k <= size; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            }

            for (var row = 0; row < size; row++)
            {
                if (row != col)
                {
                    var factor = a[row, col] / a[col, col];
                    for (var k = col; k <= size; k++)
                    {
                        a[row, k] -= factor * a[col, k];
                    }
                }
            }
        }

        return [.. Enumerable.Range(0, size).Select(i => a[i, size] / a[i, i])];
    }

    /// <summary>The data prediction of step k (the ring keeps the last order + 1).</summary>
    private float[] Model(int k) => models[k % models.Length];

    private static double Expm1(double v) => Math.Abs(v) < 1e-5 ? v + v * v / 2 + v * v * v / 6 : Math.Exp(v) - 1;

    private void EnsureTimesteps()
    {
        if (times.Length == 0)
        {
            throw new InvalidOperationException("Call SetTimesteps before using the scheduler");
        }
    }
}
