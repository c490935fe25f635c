namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>The architecture a model folder holds, told apart by its components.</summary>
public enum ModelFamily
{
    /// <summary>SD 1.x, 2.x and SD-Turbo: one CLIP text encoder, a UNet with <c>sample</c>, <c>timestep</c>, <c>encoder_hidden_states</c>.</summary>
    StableDiffusion,

    /// <summary>SDXL base and SDXL-Turbo: two text encoders, a UNet that also takes <c>text_embeds</c> and <c>time_ids</c>.</summary>
    StableDiffusionXL,
}
