namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// A prompt as text-encoder chunks. <paramref name="TokenCount"/> counts as A1111 counts (its "n/75" figure): 75 for every
/// chunk but the last, and the last chunk's own tokens.
/// </summary>
public sealed record ChunkedPrompt(IReadOnlyList<PromptChunk> Chunks, int TokenCount);
