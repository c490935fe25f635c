using SdServerless.GpuWorker.Diffusion.Noise;
namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// The k-diffusion sampler loop behind the scheduler interface, as AUTOMATIC1111 runs it: sigmas from a named schedule,
/// latents start as <c>noise * sigmas[0]</c>, and each model evaluation the sampler asks for is one pass of the
/// pipeline's loop (so <see cref="Timesteps"/> has one entry per UNet call: two per step for Heun, DPM2, DPM++ 2S a
/// and DPM++ SDE). The UNet sees <c>x / sqrt(sigma^2 + 1)</c> at timestep <c>sigma_to_t(sigma)</c>, and its output
/// becomes D(x, sigma) as A1111's <c>CompVisDenoiser</c> (epsilon) or <c>CompVisVDenoiser</c> (v) computes it
/// (<see cref="CompVisDenoiser"/>; LCM's own wrapper for LCM).
/// </summary>
public sealed class KDiffusionScheduler : IScheduler
{
    private readonly KDiffusionSchedule schedule;
    private readonly CompVisDenoiser denoiser;
    private readonly Func<KDiffusionSchedule, int, double[]> sigmasFor;
    private readonly StepNoise stepNoise = new();
    private double[] sigmas = [];
    private double[] evaluationSigmas = [];
    private float[] timesteps = [];
    private int start;
    private int evaluation;
    private IEnumerator<Evaluation>? run;
    private float[] x = [];

    /// <param name="sigmasFor">The schedule: n steps' sigmas, ending in the last sigma the sampler steps to.</param>
    public KDiffusionScheduler(SchedulerConfig config, KSampler sampler, Func<KDiffusionSchedule, int, double[]> sigmasFor)
        : this(new CompVisDenoiser(new KDiffusionSchedule(config), PredictionTypes.Parse(config.PredictionType)), sampler, sigmasFor)
    {
    }

    /// <param name="denoiser">How the UNet's output becomes D(x, sigma), and the timestep it sees for a sigma.</param>
    /// <param name="sampler">The k-diffusion sampler.</param>
    /// <param name="sigmasFor">The schedule: n steps' sigmas, ending in the last sigma the sampler steps to.</param>
    public KDiffusionScheduler(CompVisDenoiser denoiser, KSampler sampler, Func<KDiffusionSchedule, int, double[]> sigmasFor)
    {
        this.denoiser = denoiser;
        schedule = denoiser.Schedule;
        Sampler = sampler;
        this.sigmasFor = sigmasFor;
    }

    public KSampler Sampler { get; }

    /// <summary>One entry per model evaluation: <c>sigma_to_t</c> of its sigma.</summary>
    public IReadOnlyList<float> Timesteps => timesteps;

    /// <summary>The schedule's sigmas (steps + 1 of them, as the sampler receives them).</summary>
    public IReadOnlyList<double> Sigmas => sigmas;

    /// <summary>The sigma of each model evaluation.</summary>
    public IReadOnlyList<double> EvaluationSigmas => evaluationSigmas;

    public float InitNoiseSigma => (float)sigmas[0];

    public void SetTimesteps(int steps)
    {
        sigmas = sigmasFor(schedule, steps);
        Plan(0);
    }

    /// <summary>Plans the run from step <paramref name="startIndex"/> of the schedule; returns 0, the first evaluation.</summary>
    public int Begin(int startIndex, LatentNoise noise)
    {
        EnsureTimesteps();
        stepNoise.Source = noise;
        if (startIndex != start)
        {
            Plan(startIndex);
        }

        return 0;
    }

    /// <summary>Plans the run from <paramref name="startIndex"/> as <see cref="Begin"/> will, and counts its evaluations.</summary>
    public int EvaluationsFrom(int startIndex, bool fromImage)
    {
        EnsureTimesteps();
        if (startIndex != start)
        {
            Plan(startIndex);
        }

        return timesteps.Length;
    }

    public void ScaleModelInput(ReadOnlySpan<float> sample, Span<float> destination, int stepIndex)
    {
        EnsureTimesteps();
        if (run is null)
        {
            // The first evaluation: the sampler starts from this sample (and may add churn noise before evaluating).
            if (stepIndex != 0)
            {
                throw new InvalidOperationException($"The run starts at evaluation 0, not {stepIndex}");
            }

            x = sample.ToArray();
            Sampler.Prepare(x.Length);
            run = Sampler.Sample(x, sigmas[start..], stepNoise).GetEnumerator();
            evaluation = -1;
            Advance();
        }

        if (stepIndex != evaluation)
        {
            throw new InvalidOperationException($"Evaluation {stepIndex} was asked for; the sampler is at {evaluation}");
        }

        var at = run.Current.At;
        var scale = (float)(1 / Math.Sqrt(evaluationSigmas[stepIndex] * evaluationSigmas[stepIndex] + 1));
        for (var i = 0; i < at.Length; i++)
        {
            destination[i] = at[i] * scale;
        }
    }

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, LatentNoise noise)
    {
        if (run is null || stepIndex != evaluation)
        {
            throw new InvalidOperationException("Call ScaleModelInput for this evaluation before Step");
        }

        stepNoise.Source ??= noise;

        // 1. D(x, sigma) from the model output (k-diffusion's CompVisDenoiser / CompVisVDenoiser, or LCM's)
        denoiser.Denoise(modelOutput, run.Current.At, evaluationSigmas[stepIndex], Sampler.Denoised);

        // 2. resume the sampler: the next point to evaluate, or the result
        if (Advance())
        {
            run.Current.At.CopyTo(sample);
        }
        else
        {
            x.CopyTo(sample);
            run.Dispose();
            run = null;
        }
    }

    /// <summary>k-diffusion img2img: <c>x = x0 + noise * sigma</c> at the start step.</summary>
    public void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int stepIndex)
    {
        EnsureTimesteps();
        var sigma = (float)sigmas[stepIndex];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] += noise[i] * sigma;
        }
    }

    private bool Advance()
    {
        if (!run!.MoveNext())
        {
            return false;
        }

        evaluation++;
        if (evaluation >= evaluationSigmas.Length || run.Current.Sigma != evaluationSigmas[evaluation])
        {
            throw new InvalidOperationException($"The sampler asked for evaluation {evaluation} at sigma {run.Current.Sigma}, not as planned");
        }

        return true;
    }

    /// <summary>The evaluations of a run over sigmas[startIndex..]: the sampler run once on an empty sample (its sigmas do not depend on x).</summary>
    private void Plan(int startIndex)
    {
        start = startIndex;
        run?.Dispose();
        run = null;
        var planned = new List<double>();
        Sampler.Prepare(0);
        foreach (var step in Sampler.Sample([], sigmas[startIndex..], new StepNoise()))
        {
            planned.Add(step.Sigma);
        }

        evaluationSigmas = [.. planned];
        timesteps = [.. planned.Select(sigma => (float)denoiser.Timestep(sigma))];
    }

    private void EnsureTimesteps()
    {
        if (sigmas.Length == 0)
        {
            throw new InvalidOperationException("Call SetTimesteps before using the scheduler");
        }
    }
}
