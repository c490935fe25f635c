using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.GpuWorker.Diffusion.Noise;

/// <summary>
/// How one request's seeds become noise: the initial latents and the generators the ancestral steps draw from, in the
/// order AUTOMATIC1111 draws them (its <c>ImageRNG</c>) or as ComfyUI's <c>prepare_noise</c> does (docs/seeds.md).
/// </summary>
/// <param name="Seeds">Image i's seed (A1111's <c>all_seeds</c>); with <see cref="NoiseLayout.WholeBatch"/> all the same.</param>
/// <param name="Subseeds">Image i's variation seed; used only when <paramref name="SubseedStrength"/> is not 0.</param>
/// <param name="ResizeFrom">A1111's <c>seed_resize_from_w/h</c> in pixels, or null.</param>
/// <param name="EtaNoiseSeedDelta">A1111's ENSD: the ancestral steps' generators are seeded <c>seed + i + delta</c> when not 0.</param>
public sealed record NoisePlan(
    RngSource Source,
    NoiseLayout Layout,
    IReadOnlyList<long> Seeds,
    IReadOnlyList<long> Subseeds,
    float SubseedStrength,
    (int Width, int Height)? ResizeFrom,
    long EtaNoiseSeedDelta)
{
    /// <summary>The latent's downscale factor that A1111 applies to <see cref="ResizeFrom"/>.</summary>
    public const int ResizeFactor = 8;

    public bool UsesSubseeds => SubseedStrength != 0;

    /// <summary>
    /// Writes the batch's initial noise <c>[B, C, H, W]</c> (unscaled: what <c>torch.randn</c> gives) and returns the
    /// noise the ancestral steps draw next.
    /// </summary>
    public LatentNoise Draw(Span<float> initial, int channels, int height, int width)
    {
        var perImage = channels * height * width;
        if (initial.Length != Seeds.Count * perImage)
        {
            throw new ArgumentException($"Expected {Seeds.Count * perImage} values, got {initial.Length}", nameof(initial));
        }

        if (Layout == NoiseLayout.WholeBatch)
        {
            // ComfyUI: one draw of the whole batch; its CPU samplers seed their own generator with seed + 1.
            RngSources.Create(Source, Seeds[0]).Fill(initial);
            return LatentNoise.WholeBatch(RngSources.Create(Source, Seeds[0] + 1), Seeds.Count, perImage);
        }

        var generators = new INormalSource[Seeds.Count];
        (int Height, int Width) noiseShape = ResizeFrom is { } from ? (from.Height / ResizeFactor, from.Width / ResizeFactor) : (height, width);
        var resized = noiseShape != (height, width);
        for (var i = 0; i < Seeds.Count; i++)
        {
            generators[i] = RngSources.Create(Source, Seeds[i]);
            var image = initial.Slice(i * perImage, perImage);

            // 1. the variation seed's noise first, from a generator of its own
            float[]? subnoise = null;
            if (UsesSubseeds)
            {
                subnoise = new float[channels * noiseShape.Height * noiseShape.Width];
                RngSources.Create(Source, Subseeds[i]).Fill(subnoise);
            }

            // 2. the seed's noise: at the old size from a fresh generator, else the image generator's first draw
            var noise = resized ? new float[channels * noiseShape.Height * noiseShape.Width] : null;
            if (noise is not null)
            {
                RngSources.Create(Source, Seeds[i]).Fill(noise);
            }
            else
            {
                generators[i].Fill(image);
            }

            // 3. blend toward the subseed's noise
            if (subnoise is not null)
            {
                Slerp.Blend(SubseedStrength, noise ?? image, subnoise, channels, noiseShape.Height, noiseShape.Width);
            }

            // 4. resized: the image generator's first draw at the new size, the old size's noise pasted centred
            if (noise is not null)
            {
                generators[i].Fill(image);
                PasteCentred(noise, noiseShape.Height, noiseShape.Width, image, channels, height, width);
            }
        }

        // 5. ENSD: the ancestral steps draw from generators seeded seed + delta instead
        if (EtaNoiseSeedDelta != 0)
        {
            for (var i = 0; i < Seeds.Count; i++)
            {
                generators[i] = RngSources.Create(Source, Seeds[i] + EtaNoiseSeedDelta);
            }
        }

        return new LatentNoise(generators, perImage);
    }

    /// <summary>A1111's paste: the old size's noise centred in the new, cropped where it is larger.</summary>
    private static void PasteCentred(ReadOnlySpan<float> from, int fromHeight, int fromWidth, Span<float> to, int channels, int height, int width)
    {
        // Python's floor division, as A1111 computes the offsets
        var dx = (int)Math.Floor((width - fromWidth) / 2.0);
        var dy = (int)Math.Floor((height - fromHeight) / 2.0);
        var w = dx >= 0 ? fromWidth : fromWidth + 2 * dx;
        var h = dy >= 0 ? fromHeight : fromHeight + 2 * dy;
        var tx = Math.Max(dx, 0);
        var ty = Math.Max(dy, 0);
        var sx = Math.Max(-dx, 0);
        var sy = Math.Max(-dy, 0);
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < h; y++)
            {
                from.Slice((c * fromHeight + sy + y) * fromWidth + sx, w).CopyTo(to.Slice((c * height + ty + y) * width + tx, w));
            }
        }
    }
}
