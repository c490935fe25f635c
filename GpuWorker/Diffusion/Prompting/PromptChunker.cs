using SdServerless.GpuWorker.Diffusion.Tokenization;

namespace SdServerless.GpuWorker.Diffusion.Prompting;

/// <summary>
/// Splits a prompt into chunks of 75 tokens as A1111's <c>tokenize_line</c> does (<c>modules/sd_hijack_clip.py</c>):
/// each parsed fragment is tokenized on its own; <c>BREAK</c> closes the current chunk; when a chunk is full and a comma
/// lies within the last <see cref="CommaBacktrack"/> tokens, the tokens after that comma move to the next chunk, so a
/// phrase is not split (A1111's <c>comma_padding_backtrack</c>, 20 by default).
/// </summary>
public sealed class PromptChunker(ClipTokenizer tokenizer, int commaBacktrack = PromptChunker.DefaultCommaBacktrack)
{
    public const int DefaultCommaBacktrack = 20;

    private readonly int? commaId = tokenizer.IdOf(",</w>");

    public int CommaBacktrack { get; } = commaBacktrack;

    /// <summary>The chunk an empty prompt pads with: start, then end tokens (and pad tokens after the first).</summary>
    public PromptChunk EmptyChunk() => Close([]);

    /// <exception cref="FormatException">An emphasis weight is no number.</exception>
    public ChunkedPrompt Chunk(string prompt, EmphasisMode emphasis)
    {
        IReadOnlyList<PromptFragment> fragments = emphasis == EmphasisMode.None
            ? [new PromptFragment(prompt, 1.0)]
            : PromptAttentionParser.Parse(prompt);
        var chunks = new List<PromptChunk>();
        var tokens = new List<(int Id, float Weight)>();
        var tokenCount = 0;
        var lastComma = -1;

        void NextChunk(bool isLast = false)
        {
            tokenCount += isLast ? tokens.Count : PromptChunk.PromptTokens;
            chunks.Add(Close(tokens));
            tokens = [];
            lastComma = -1;
        }

        foreach (var fragment in fragments)
        {
            if (fragment.IsBreak)
            {
                NextChunk();
                continue;
            }

            var weight = (float)fragment.Weight;
            foreach (var id in tokenizer.EncodeWords(fragment.Text))
            {
                if (id == commaId)
                {
                    lastComma = tokens.Count;
                }
                else if (CommaBacktrack != 0 && tokens.Count == PromptChunk.PromptTokens && lastComma != -1 && tokens.Count - lastComma <= CommaBacktrack)
                {
                    var moved = tokens[(lastComma + 1)..];
                    tokens = tokens[..(lastComma + 1)];
                    NextChunk();
                    tokens = moved;
                }

                if (tokens.Count == PromptChunk.PromptTokens)
                {
                    NextChunk();
                }

                tokens.Add((id, weight));
            }
        }

        if (tokens.Count > 0 || chunks.Count == 0)
        {
            NextChunk(isLast: true);
        }

        return new ChunkedPrompt(chunks, tokenCount);
    }

    private PromptChunk Close(List<(int Id, float Weight)> tokens)
    {
        var ids = new int[PromptChunk.Length];
        var multipliers = new float[PromptChunk.Length];
        Array.Fill(ids, tokenizer.EosId);
        Array.Fill(multipliers, 1f);
        ids[0] = tokenizer.BosId;
        for (var i = 0; i < tokens.Count; i++)
        {
            (ids[i + 1], multipliers[i + 1]) = tokens[i];
        }

        // After the first end token comes the tokenizer's pad token (the same id for SD 1.x).
        var firstEnd = Array.IndexOf(ids, tokenizer.EosId, 1);
        for (var i = firstEnd + 1; i < ids.Length; i++)
        {
            ids[i] = tokenizer.PadId;
        }

        return new PromptChunk(ids, multipliers);
    }
}
