using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.GpuWorker.Diffusion.TinyModels;

/// <summary>Seeded N(0, 1) weights, so a tiny model folder is the same byte for byte every time it is generated.</summary>
public sealed class GaussianWeights(long seed)
{
    private readonly GaussianRandom random = new(seed);

    public float Next() => random.NextGaussian();
}
