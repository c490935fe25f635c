namespace SdServerless.GpuWorker.Diffusion.Schedulers;

/// <summary>
/// Noise for a batch of latents where image <c>n</c> draws from its own generator seeded with <c>seeds[n]</c>, so an
/// image depends only on its own seed, not on its place in the batch.
/// </summary>
public sealed class LatentNoise
{
    private readonly GaussianRandom[] generators;

    public LatentNoise(IReadOnlyList<long> seeds, int elementsPerImage)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(elementsPerImage);
        generators = new GaussianRandom[seeds.Count];
        for (var i = 0; i < generators.Length; i++)
        {
            generators[i] = new GaussianRandom(seeds[i]);
        }

        ElementsPerImage = elementsPerImage;
    }

    public int ElementsPerImage { get; }

    public int Images => generators.Length;

    /// <summary>Fills a whole batch (<c>Images * ElementsPerImage</c> values), each image from its own generator.</summary>
    public void Fill(Span<float> batch)
    {
        if (batch.Length != Images * ElementsPerImage)
        {
            throw new ArgumentException($"Expected {Images * ElementsPerImage} values, got {batch.Length}", nameof(batch));
        }

        for (var i = 0; i < generators.Length; i++)
        {
            generators[i].Fill(batch.Slice(i * ElementsPerImage, ElementsPerImage));
        }
    }
}
