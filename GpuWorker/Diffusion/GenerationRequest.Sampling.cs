namespace SdServerless.GpuWorker.Diffusion;

/// <summary>A1111's sampler settings, read by the samplers whose k-diffusion function takes them (docs/decisions/0422).</summary>
public sealed partial record GenerationRequest
{
    /// <summary>A1111's <c>eta</c>: ancestral and SDE samplers (null: 1, A1111's "Eta for ancestral samplers") and DDIM (null: 0).</summary>
    public double? Eta { get; init; }

    /// <summary>A1111's <c>s_noise</c>: scale of the fresh noise of DPM2 a, DPM++ 2S a, the SDE samplers and churn.</summary>
    public double SNoise { get; init; } = 1;

    /// <summary>A1111's <c>s_churn</c>: Euler, Heun and DPM2 add noise before each step (Karras et al. 2022's S_churn); 0 is off.</summary>
    public double SChurn { get; init; }

    /// <summary>A1111's <c>s_tmin</c>: churn only where sigma is at least this.</summary>
    public double STmin { get; init; }

    /// <summary>A1111's <c>s_tmax</c>: churn only where sigma is at most this; 0 means no bound, as in A1111.</summary>
    public double STmax { get; init; }
}
