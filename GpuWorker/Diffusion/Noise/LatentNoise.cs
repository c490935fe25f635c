
namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>
/// The noise an ancestral sampler draws at each step, one <c>torch.randn</c> per image from that image's generator
/// (AUTOMATIC1111), or one for the whole batch (ComfyUI). Made by <see cref="NoisePlan.Draw"/>.
/// </summary>
public sealed class LatentNoise
{
    private readonly IReadOnlyList<INormalSource> generators;
    private readonly bool wholeBatch;

    /// <summary>Image i draws from <paramref name="perImage"/>[i].</summary>
    public LatentNoise(IReadOnlyList<INormalSource> perImage, int elementsPerImage)
        : this(perImage, perImage.Count, elementsPerImage, wholeBatch: false)
    {
    }

    /// <summary>Image i draws from a generator seeded <paramref name="seeds"/>[i].</summary>
    public LatentNoise(IReadOnlyList<long> seeds, int elementsPerImage, RngSource source = RngSource.Cpu)
        : this(seeds.Select(seed => RngSources.Create(source, seed)).ToArray(), elementsPerImage)
    {
    }

    private LatentNoise(IReadOnlyList<INormalSource> generators, int images, int elementsPerImage, bool wholeBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(elementsPerImage);
        this.generators = generators;
        this.wholeBatch = wholeBatch;
        Images = images;
        ElementsPerImage = elementsPerImage;
    }

    public int ElementsPerImage { get; }

    public int Images { get; }

    /// <summary>The whole batch from one generator, one draw per step.</summary>
    public static LatentNoise WholeBatch(INormalSource generator, int images, int elementsPerImage) =>
        new([generator], images, elementsPerImage, wholeBatch: true);

    /// <summary>Fills a whole batch (<c>Images * ElementsPerImage</c> values).</summary>
    public void Fill(Span<float> batch)
    {
        if (batch.Length != Images * ElementsPerImage)
        {
            throw new ArgumentException($"Expected {Images * ElementsPerImage} values, got {batch.Length}", nameof(batch));
        }

        if (wholeBatch)
        {
            generators[0].Fill(batch);
            return;
        }

        for (var i = 0; i < generators.Count; i++)
        {
            generators[i].Fill(batch.Slice(i * ElementsPerImage, ElementsPerImage));
        }
    }
}
