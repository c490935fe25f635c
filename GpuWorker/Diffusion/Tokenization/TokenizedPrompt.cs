namespace SdServerless.GpuWorker.Diffusion.Tokenization;

/// <summary>Token ids padded to the text encoder's length (BOS ... EOS pad ...); <paramref name="Truncated"/> when words were cut.</summary>
public sealed record TokenizedPrompt(int[] Ids, bool Truncated);
