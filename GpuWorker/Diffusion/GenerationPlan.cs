using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>A checked request: the sampler and schedule resolved, the seeds picked and how they become noise, the latent size, and whether guidance and an init image are used.</summary>
public sealed record GenerationPlan(
    GenerationRequest Request,
    NoisePlan Noise,
    SamplerSchedule Sampling,
    int LatentHeight,
    int LatentWidth,
    bool Guided,
    bool ImageToImage)
{
    /// <summary>Image i's seed, as its infotext and result report it.</summary>
    public IReadOnlyList<long> Seeds => Noise.Seeds;

    public int BatchSize => Seeds.Count;

    /// <summary>The request's eta, s_noise and churn settings, checked.</summary>
    public KSamplerOptions SamplerOptions { get; init; } = KSamplerOptions.Default;

    /// <summary>Images the UNet sees per step: twice the batch under guidance ([uncond, cond]).</summary>
    public int UnetBatch => Guided ? 2 * BatchSize : BatchSize;
}
