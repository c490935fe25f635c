namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// How much of the text encoder a request used: the prompt's and negative prompt's tokens as A1111 counts them, and the
/// tokens of conditioning the UNet read per image (77 per chunk).
/// </summary>
public sealed record PromptTokenUsage(int PromptTokens, int NegativePromptTokens, int ContextTokens);
