namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>
/// A seeded source of standard normal numbers where one <see cref="Fill"/> is one <c>torch.randn</c> call of
/// <c>destination.Length</c> values: the values a call gives depend on its length, not only on what was drawn before.
/// </summary>
public interface INormalSource
{
    void Fill(Span<float> destination);
}
