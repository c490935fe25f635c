namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// The UNet's text conditioning for a whole batch, <c>[batch, tokens, ContextSize]</c> (uncond images first under
/// guidance), and SDXL's pooled embeddings <c>[batch, pooled]</c> (empty otherwise).
/// </summary>
public sealed record PromptConditioning(float[] Context, float[] Pooled, PromptTokenUsage Usage)
{
    public int ContextTokens => Usage.ContextTokens;
}
