namespace SdServerless.GpuWorker.Diffusion;

/// <summary>A checked request: the seeds picked, the latent size, and whether guidance and an init image are used.</summary>
public sealed record GenerationPlan(
    GenerationRequest Request,
    IReadOnlyList<long> Seeds,
    int LatentHeight,
    int LatentWidth,
    bool Guided,
    bool ImageToImage)
{
    public int BatchSize => Seeds.Count;

    /// <summary>Images the UNet sees per step: twice the batch under guidance ([uncond, cond]).</summary>
    public int UnetBatch => Guided ? 2 * BatchSize : BatchSize;
}
