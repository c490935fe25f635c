using SdServerless.GpuWorker.Diffusion.Prompting;
using Microsoft.ML.OnnxRuntime;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// Turns a request's prompts into the UNet's conditioning as A1111 does (<c>modules/sd_hijack_clip.py</c>): each prompt is
/// parsed for emphasis and cut into chunks of 75 tokens; every chunk goes through the text encoder (both, for SDXL) on its
/// own, gets its weights applied, and the chunks are concatenated along the token axis (77 per chunk). The prompt with fewer
/// chunks is padded with empty chunks. SDXL's pooled embedding is the first chunk's; an empty SDXL negative prompt is zeros
/// where the model says <c>force_zeros_for_empty_prompt</c>.
/// </summary>
public sealed class ConditioningBuilder(StableDiffusionModel model, RunOptions runOptions)
{
    private readonly Lazy<(FinalLayerNorm? Norm, string? Reason)> finalLayerNorm = new(() =>
    {
        var norm = FinalLayerNorm.Read(model.TextEncoder.Path, out var reason);
        return (norm, reason);
    });

    private readonly string defaultStates = model.TextEncoder.StatesOutput;

    public PromptConditioning Build(GenerationRequest request, int batchSize, bool guided)
    {
        var encoders = Encoders();
        var norm = PrepareClipSkip(request.ClipSkip);
        var prompt = Chunk(encoders, request.Prompt ?? "", request.Emphasis, "prompt");
        var negativeText = request.NegativePrompt ?? "";
        var zeroNegative = model.ForceZerosForEmptyPrompt && negativeText.Length == 0;
        var negative = guided ? Chunk(encoders, negativeText, request.Emphasis, "negative_prompt") : null;
        var chunkCount = Math.Max(prompt.Count, negative?.Count ?? 0);
        if (model.Unet.FixedTokenCount is { } fixedTokens)
        {
            var fixedChunks = fixedTokens / PromptChunk.Length;
            var (field, parts) = prompt.Count >= (negative?.Count ?? 0) ? ("prompt", prompt) : ("negative_prompt", negative!);
            if (fixedTokens % PromptChunk.Length != 0 || chunkCount > fixedChunks)
            {
                throw new GenerationInputException("prompt_too_long",
                    $"{field} has {parts.TokenCount} tokens; model {model.Name}'s UNet takes {fixedTokens} tokens of conditioning ({Math.Max(1, fixedChunks) * PromptChunk.PromptTokens} prompt tokens), so it takes at most {Math.Max(1, fixedChunks) * PromptChunk.PromptTokens}");
            }

            chunkCount = fixedChunks;
        }

        var perPrompt = chunkCount * PromptChunk.Length * model.ContextSize;
        var pooledSize = model.TextEncoder2?.PooledSize ?? 0;
        var (condStates, condPooled) = Encode(encoders, prompt, chunkCount, request.Emphasis, norm);
        var imageCount = guided ? 2 * batchSize : batchSize;
        var context = new float[imageCount * perPrompt];
        var pooled = new float[imageCount * pooledSize];
        var image = 0;
        if (guided)
        {
            var (uncondStates, uncondPooled) = zeroNegative
                ? (new float[perPrompt], new float[pooledSize])
                : Encode(encoders, negative!, chunkCount, request.Emphasis, norm);
            for (var i = 0; i < batchSize; i++, image++)
            {
                uncondStates.CopyTo(context, image * perPrompt);
                uncondPooled.CopyTo(pooled, image * pooledSize);
            }
        }

        for (var i = 0; i < batchSize; i++, image++)
        {
            condStates.CopyTo(context, image * perPrompt);
            condPooled.CopyTo(pooled, image * pooledSize);
        }

        var usage = new PromptTokenUsage(prompt.TokenCount, negative?.TokenCount ?? 0, chunkCount * PromptChunk.Length);
        return new PromptConditioning(context, pooled, usage);
    }

    private (TextEncoder Encoder, PromptChunker Chunker)[] Encoders() =>
        model.TextEncoder2 is { } second
            ? [(model.TextEncoder, new PromptChunker(model.Tokenizer)), (second, new PromptChunker(model.Tokenizer2!))]
            : [(model.TextEncoder, new PromptChunker(model.Tokenizer))];

    /// <summary>Points the first encoder at the layer clip skip reads, and returns the layer norm to apply after it (null: none).</summary>
    private FinalLayerNorm? PrepareClipSkip(int clipSkip)
    {
        if (clipSkip is < ClipSkip.Min or > ClipSkip.Max)
        {
            throw new GenerationInputException("invalid_clip_skip", $"clip_skip {clipSkip} is out of range {ClipSkip.Min}..{ClipSkip.Max}");
        }

        if (clipSkip == 1 || !ClipSkip.Applies(model))
        {
            model.TextEncoder.ReadStatesFrom(defaultStates);
            return null;
        }

        var output = ClipSkip.LayerOutput(model.TextEncoder, clipSkip, out var reason);
        var (norm, normReason) = output is null ? (null, null) : finalLayerNorm.Value;
        if (output is null || norm is null)
        {
            throw new GenerationInputException("clip_skip_unavailable", $"clip_skip {clipSkip} is not available for model {model.Name}: {reason ?? normReason}");
        }

        model.TextEncoder.ReadStatesFrom(output);
        return norm;
    }

    private static ChunkedPrompts Chunk((TextEncoder Encoder, PromptChunker Chunker)[] encoders, string text, EmphasisMode emphasis, string field)
    {
        try
        {
            var perEncoder = encoders.Select(encoder => encoder.Chunker.Chunk(text, emphasis)).ToArray();
            return new ChunkedPrompts(perEncoder, perEncoder.Max(chunked => chunked.Chunks.Count), perEncoder[0].TokenCount);
        }
        catch (FormatException e)
        {
            throw new GenerationInputException("invalid_prompt", $"{field} has an emphasis weight that is no number: {e.Message}");
        }
    }

    /// <summary>One prompt's chunks through the encoders, padded to <paramref name="chunkCount"/> with empty chunks: <c>[chunks * 77, ContextSize]</c>.</summary>
    private (float[] States, float[] Pooled) Encode(
        (TextEncoder Encoder, PromptChunker Chunker)[] encoders, ChunkedPrompts chunks, int chunkCount, EmphasisMode emphasis, FinalLayerNorm? norm)
    {
        var states = new float[chunkCount * PromptChunk.Length * model.ContextSize];
        var pooled = new float[model.TextEncoder2?.PooledSize ?? 0];
        var offset = 0;
        for (var e = 0; e < encoders.Length; e++)
        {
            var (encoder, chunker) = encoders[e];
            var chunkStates = new float[PromptChunk.Length * encoder.HiddenSize];
            for (var c = 0; c < chunkCount; c++)
            {
                var chunk = c < chunks.PerEncoder[e].Chunks.Count ? chunks.PerEncoder[e].Chunks[c] : chunker.EmptyChunk();
                encoder.Run(chunk.Ids, chunkStates, c == 0 && encoder.PooledSize > 0 ? pooled : [], runOptions);
                if (e == 0)
                {
                    norm?.Apply(chunkStates);
                }

                PromptEmphasis.Apply(emphasis, chunkStates, chunk.Multipliers, encoder.HiddenSize);
                for (var token = 0; token < PromptChunk.Length; token++)
                {
                    chunkStates.AsSpan(token * encoder.HiddenSize, encoder.HiddenSize)
                        .CopyTo(states.AsSpan(((c * PromptChunk.Length) + token) * model.ContextSize + offset));
                }
            }

            offset += encoder.HiddenSize;
        }

        return (states, pooled);
    }

    /// <summary>A prompt chunked by each encoder's tokenizer; the token count is A1111's, from the first.</summary>
    private sealed record ChunkedPrompts(ChunkedPrompt[] PerEncoder, int Count, int TokenCount);
}
