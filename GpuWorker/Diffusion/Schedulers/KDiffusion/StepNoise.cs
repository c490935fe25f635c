using SdServerless.GpuWorker.Diffusion.Noise;
namespace SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion;

/// <summary>
/// The fresh noise a sampler draws (k-diffusion's <c>randn_like</c> and <c>noise_sampler</c>, which A1111 routes to its
/// step generators): one <c>torch.randn</c> of the batch per call, from the run's <see cref="LatentNoise"/>. A call
/// for no values (the planning run) draws nothing.
/// </summary>
public sealed class StepNoise
{
    public LatentNoise? Source { get; set; }

    public void Draw(float[] destination)
    {
        if (destination.Length == 0)
        {
            return;
        }

        (Source ?? throw new InvalidOperationException("The sampler draws noise before its LatentNoise was given (IScheduler.Begin)")).Fill(destination);
    }
}
