using SdServerless.GpuWorker.Diffusion.Tokenization;

namespace SdServerless.GpuWorker.Diffusion.TinyModels;

/// <summary>
/// A small CLIP-style BPE vocabulary laid out like the real one: the 256 byte symbols, the same with <c>&lt;/w&gt;</c>,
/// merged symbols, then <c>&lt;|startoftext|&gt;</c> and <c>&lt;|endoftext|&gt;</c>. Its merges spell a few common words.
/// </summary>
public sealed class TinyVocabulary
{
    private static readonly string[] Words =
    [
        "a", "an", "the", "of", "and", "in", "on", "with", "photo", "cat", "dog", "portrait", "landscape", "painting",
        "mountain", "lake", "city", "night", "sunset", "forest", "red", "blue", "green", "high", "quality", "detailed",
        "astronaut", "riding", "horse", "blurry", "ugly", "lowres",
    ];

    private TinyVocabulary(Dictionary<string, int> tokens, List<(string Left, string Right)> merges)
    {
        Tokens = tokens;
        Merges = merges;
    }

    public IReadOnlyDictionary<string, int> Tokens { get; }

    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    public static TinyVocabulary Create()
    {
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        // Ordered as CLIP lists them: printable bytes first, so "!" is id 0 as in the real vocabulary.
        var symbols = ByteEncoder.ByteToChar.Order().Select(c => c.ToString()).ToList();
        foreach (var symbol in symbols)
        {
            tokens[symbol] = tokens.Count;
        }

        foreach (var symbol in symbols)
        {
            tokens[symbol + "</w>"] = tokens.Count;
        }

        // Each word is merged left to right into one symbol: "p h", "ph o", "pho t", "phot o</w>".
        var merges = new List<(string, string)>();
        foreach (var word in Words)
        {
            var current = word[0].ToString();
            for (var i = 1; i < word.Length; i++)
            {
                var next = i == word.Length - 1 ? word[i] + "</w>" : word[i].ToString();
                var merged = current + next;
                if (tokens.TryAdd(merged, tokens.Count))
                {
                    merges.Add((current, next));
                }

                current = merged;
            }
        }

        tokens[ClipTokenizer.StartOfText] = tokens.Count;
        tokens[ClipTokenizer.EndOfText] = tokens.Count;
        return new TinyVocabulary(tokens, merges);
    }
}
