namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// The settings k-diffusion's samplers take (A1111's <c>eta</c>, <c>s_churn</c>, <c>s_tmin</c>, <c>s_tmax</c>,
/// <c>s_noise</c>); each sampler reads those in its signature and no other.
/// </summary>
/// <param name="Eta">Ancestral and SDE samplers: the share of fresh noise (A1111's "Eta for ancestral samplers", default 1).</param>
/// <param name="SNoise">Scale of the fresh noise (Karras et al. 2022's S_noise).</param>
/// <param name="SChurn">Euler, Heun and DPM2: noise added before each step (S_churn); 0 turns it off.</param>
/// <param name="STmin">Churn applies only where sigma is at least this.</param>
/// <param name="STmax">Churn applies only where sigma is at most this.</param>
public sealed record KSamplerOptions(double Eta = 1, double SNoise = 1, double SChurn = 0, double STmin = 0, double STmax = double.PositiveInfinity)
{
    public static KSamplerOptions Default { get; } = new();
}
