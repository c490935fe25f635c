namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// One text-encoder pass: start token, 75 prompt tokens (padded with the end token), end token, and the token after the
/// first end token replaced by the tokenizer's pad token (SD 2.x and SDXL's second encoder pad with "!"). Each id has the
/// attention weight of the text it came from; the start, end and padding tokens have 1.
/// </summary>
public sealed record PromptChunk(int[] Ids, float[] Multipliers)
{
    /// <summary>Prompt tokens per chunk, as A1111's <c>chunk_length</c>.</summary>
    public const int PromptTokens = 75;

    /// <summary>Ids per chunk: the prompt tokens with the start and end token.</summary>
    public const int Length = PromptTokens + 2;
}
