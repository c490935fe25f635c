using SdServerless.GpuWorker.Diffusion.Noise;
namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// A sampler, split from the pipeline as diffusers does. Tensors are flat spans of a batch of latents (NCHW), updated
/// in place so the denoising loop allocates nothing. Steps are addressed by their index into <see cref="Timesteps"/>.
/// </summary>
public interface IScheduler
{
    /// <summary>The timesteps the UNet sees, first to last; fractional for Euler and LMS.</summary>
    IReadOnlyList<float> Timesteps { get; }

    /// <summary>Standard deviation of the initial noise: latents start as <c>randn * InitNoiseSigma</c>.</summary>
    float InitNoiseSigma { get; }

    void SetTimesteps(int steps);

    /// <summary>
    /// Called once before the loop, after the latents are prepared: the run starts at step <paramref name="startIndex"/>
    /// of the schedule and draws its step noise from <paramref name="noise"/>. Returns the index into
    /// <see cref="Timesteps"/> of the first model evaluation (the k-diffusion samplers re-plan their evaluations).
    /// </summary>
    int Begin(int startIndex, LatentNoise noise) => startIndex;

    /// <summary>
    /// The model evaluations a run from step <paramref name="startIndex"/> will make, after <see cref="SetTimesteps"/>
    /// (what progress counts, known before the run): one a step, except where a sampler evaluates twice in a step or
    /// plans image-to-image (<paramref name="fromImage"/>: latents noised by <see cref="AddNoise"/>) its own way.
    /// </summary>
    int EvaluationsFrom(int startIndex, bool fromImage) => Timesteps.Count - startIndex;

    /// <summary>Writes the UNet's input for step <paramref name="stepIndex"/> (identity for DDIM and DPM-Solver).</summary>
    void ScaleModelInput(ReadOnlySpan<float> sample, Span<float> destination, int stepIndex);

    /// <summary>Moves <paramref name="sample"/> from step <paramref name="stepIndex"/> to the next one, given the UNet's output.</summary>
    void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, LatentNoise noise);

    /// <summary>Noises clean latents to the level of step <paramref name="stepIndex"/> (image-to-image start).</summary>
    void AddNoise(Span<float> sample, ReadOnlySpan<float> noise, int stepIndex);
}
