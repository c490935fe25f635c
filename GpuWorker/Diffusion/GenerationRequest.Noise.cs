using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>The schedule by A1111's name, and how the seed becomes noise (docs/seeds.md); the defaults draw as A1111 with its "CPU" source does.</summary>
public sealed partial record GenerationRequest
{
    /// <summary>A1111 1.9+'s <c>scheduler</c> (<c>Automatic</c>, <c>Uniform</c>, <c>Karras</c>, ...), applied to <see cref="Sampler"/>.</summary>
    public string Scheduler { get; init; } = SamplerSchedule.Automatic;

    /// <summary>A1111's <c>n_iter</c> (batch count): this many batches of <see cref="BatchSize"/>, seeds continuing from batch to batch.</summary>
    public int BatchCount { get; init; } = 1;

    /// <summary>The generator: <c>cpu</c> (PyTorch's CPU generator) or <c>nv</c> (A1111's NV source).</summary>
    public RngSource Rng { get; init; } = RngSource.Cpu;

    /// <summary>Per-image generators (A1111) or one draw of the whole batch (ComfyUI).</summary>
    public NoiseLayout NoiseLayout { get; init; } = NoiseLayout.PerImage;

    /// <summary>A1111's variation seed; -1 picks one. Image <c>n</c> uses <c>Subseed + n</c>.</summary>
    public long Subseed { get; init; } = -1;

    /// <summary>0 (the seed's noise) to 1 (the variation seed's noise); when not 0 every image uses <see cref="Seed"/> itself.</summary>
    public float SubseedStrength { get; init; }

    /// <summary>A1111's <c>seed_resize_from_w</c>: draw the noise at this width and paste it centred; 0 or less for off.</summary>
    public int SeedResizeFromWidth { get; init; } = -1;

    /// <summary>A1111's <c>seed_resize_from_h</c>; both sizes must be set for the resize to apply.</summary>
    public int SeedResizeFromHeight { get; init; } = -1;

    /// <summary>A1111's <c>eta_noise_seed_delta</c> (ENSD): ancestral noise is drawn from generators seeded <c>seed + n + delta</c>.</summary>
    public long EtaNoiseSeedDelta { get; init; }
}
