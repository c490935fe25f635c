namespace SdServerless.Diffusion.Benchmarks;

/// <summary>The two families, each at its native size, so one run reports SDXL against SD 1.x.</summary>
public enum ModelKind
{
    /// <summary>SD 1.x-shaped tiny model at 512x512 (64x64 latents).</summary>
    Sd15At512,

    /// <summary>SDXL-shaped tiny model at 1024x1024 (128x128 latents, text_embeds and time_ids bound).</summary>
    SdxlAt1024,
}
