using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Faults;
namespace SdServerless.GpuWorker.Diffusion;

/// <summary>Checks a request's noise settings and picks its seeds, as AUTOMATIC1111's <c>process_images</c> picks them.</summary>
public static class NoisePlanner
{
    /// <summary>The largest seed: A1111 and ComfyUI pick random seeds below 2^32, and PyTorch's CPU generator keeps only 32 bits.</summary>
    public const long MaxRandomSeed = uint.MaxValue;

    public static NoisePlan Plan(GenerationRequest request, int maxSize)
    {
        if (request.Seed < -1)
        {
            throw new GenerationInputException("invalid_seed", $"seed {request.Seed} is invalid: use -1 (random) or a non-negative number");
        }

        if (request.Subseed < -1)
        {
            throw new GenerationInputException("invalid_subseed", $"subseed {request.Subseed} is invalid: use -1 (random) or a non-negative number");
        }

        if (!float.IsFinite(request.SubseedStrength) || request.SubseedStrength is < 0 or > 1)
        {
            throw new GenerationInputException("invalid_subseed_strength", $"subseed_strength {request.SubseedStrength} is out of range 0..1");
        }

        (int Width, int Height)? resizeFrom = null;
        if (request.SeedResizeFromWidth > 0 && request.SeedResizeFromHeight > 0)
        {
            foreach (var (name, value) in new[] { ("seed_resize_from_w", request.SeedResizeFromWidth), ("seed_resize_from_h", request.SeedResizeFromHeight) })
            {
                if (value < NoisePlan.ResizeFactor || value > maxSize)
                {
                    throw new GenerationInputException("invalid_seed_resize", $"{name} {value} is out of range {NoisePlan.ResizeFactor}..{maxSize} (0 or -1 turns the resize off)");
                }
            }

            resizeFrom = (request.SeedResizeFromWidth, request.SeedResizeFromHeight);
        }

        if (request.NoiseLayout == NoiseLayout.WholeBatch)
        {
            CheckWholeBatch(request, resizeFrom is not null);
        }

        // A1111: image n uses seed + n, except with a variation seed, where every image uses the seed and subseed + n.
        var seed = Resolve(request.Seed);
        var subseed = Resolve(request.Subseed);
        var sameSeed = request.SubseedStrength != 0 || request.NoiseLayout == NoiseLayout.WholeBatch;
        var seeds = Enumerable.Range(0, request.BatchSize).Select(n => sameSeed ? seed : seed + n).ToArray();
        var subseeds = Enumerable.Range(0, request.BatchSize).Select(n => subseed + n).ToArray();
        return new NoisePlan(request.Rng, request.NoiseLayout, seeds, subseeds, request.SubseedStrength, resizeFrom, request.EtaNoiseSeedDelta);
    }

    /// <summary>ComfyUI draws its initial noise on the CPU and knows no variation seeds, seed resizing or ENSD.</summary>
    /// <summary>A seed as given, or for -1 one picked below <see cref="MaxRandomSeed"/>.</summary>
    public static long Resolve(long seed) => seed == -1 ? Random.Shared.NextInt64(0, MaxRandomSeed) : seed;

    private static void CheckWholeBatch(GenerationRequest request, bool resized)
    {
        string? refused = request.Rng != RngSource.Cpu ? $"rng {RngSources.Name(request.Rng)} (ComfyUI draws its noise with the cpu generator)"
            : request.SubseedStrength != 0 ? "subseed_strength"
            : resized ? "seed_resize_from_w/h"
            : request.EtaNoiseSeedDelta != 0 ? "eta_noise_seed_delta"
            : null;
        if (refused is not null)
        {
            throw new GenerationInputException("invalid_noise_layout", $"noise_layout whole_batch (ComfyUI's) does not take {refused}; use noise_layout per_image");
        }
    }
}
