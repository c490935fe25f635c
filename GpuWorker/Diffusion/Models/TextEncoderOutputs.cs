namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>Which outputs of a CLIP text encoder the pipeline reads.</summary>
public enum TextEncoderOutputs
{
    /// <summary><c>last_hidden_state</c> (SD 1.x and 2.x).</summary>
    LastHiddenState,

    /// <summary>The penultimate layer's hidden states (SDXL's first encoder).</summary>
    Penultimate,

    /// <summary>The penultimate layer's hidden states and the pooled <c>text_embeds</c> (SDXL's second encoder).</summary>
    PenultimateAndPooled,
}
