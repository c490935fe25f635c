using System.Text;
using System.Text.RegularExpressions;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Tokenization;

/// <summary>
/// CLIP's byte-level BPE tokenizer (openai/CLIP <c>simple_tokenizer.py</c>) read from a model's <c>tokenizer/</c> folder:
/// HTML entities decoded, composed to Unicode NFC, whitespace folded, lowercased, split by CLIP's pattern, BPE-merged by
/// rank, wrapped in BOS/EOS, cut to <see cref="MaxLength"/> and padded with the model's pad token. NFC needs ICU, so a
/// process running with invariant globalization cannot build one (docs/decisions/0416-nfc-with-icu.md).
/// </summary>
public sealed partial class ClipTokenizer
{
    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";
    private const int CacheLimit = 10_000;

    /// <summary>False under invariant globalization, where <see cref="string.Normalize(NormalizationForm)"/> returns its input unchanged.</summary>
    private static readonly bool ComposesUnicode = "e\u0301".Normalize(NormalizationForm.FormC) == "\u00e9";

    private readonly IReadOnlyDictionary<string, int> vocabulary;
    private readonly Dictionary<(string, string), int> mergeRanks;
    private readonly Dictionary<string, int[]> cache = new(StringComparer.Ordinal);
    private readonly Lock cacheLock = new();

    public ClipTokenizer(IReadOnlyDictionary<string, int> vocabulary, IEnumerable<(string Left, string Right)> merges,
        string padToken = EndOfText, int maxLength = 77, string bosToken = StartOfText, string eosToken = EndOfText)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (!ComposesUnicode)
        {
            throw new InvalidOperationException(
                "Unicode normalization is unavailable: this process runs with invariant globalization, so a prompt typed with combining accents would tokenize differently from the same prompt typed composed; build the host with <InvariantGlobalization>false</InvariantGlobalization> and run it where ICU is installed");
        }

        this.vocabulary = vocabulary;
        mergeRanks = new Dictionary<(string, string), int>();
        foreach (var merge in merges)
        {
            mergeRanks.TryAdd(merge, mergeRanks.Count);
        }

        BosId = IdOf(bosToken, "bos_token");
        EosId = IdOf(eosToken, "eos_token");
        PadId = IdOf(padToken, "pad_token");
        MaxLength = maxLength;
    }

    public int BosId { get; }

    public int EosId { get; }

    public int PadId { get; }

    public int MaxLength { get; }

    /// <summary>Reads a tokenizer folder in any layout <see cref="TokenizerFolder"/> knows; a folder that names no pad token pads with the end token.</summary>
    public static ClipTokenizer Load(string folder, int maxLengthLimit = 77) => Load(folder, maxLengthLimit, padTokenRequired: false);

    /// <summary>
    /// Reads a tokenizer folder; with <paramref name="padTokenRequired"/> (an OpenCLIP tokenizer: SD 2.x, SDXL's
    /// <c>tokenizer_2</c>, which pad with "!") a folder that names no pad token is refused instead of padded with the end token.
    /// </summary>
    public static ClipTokenizer Load(string folder, int maxLengthLimit, bool padTokenRequired)
    {
        var files = TokenizerFolder.Read(folder);
        if (files.PadToken is null && padTokenRequired)
        {
            throw new ModelLoadException(
                $"{folder}: the pad token cannot be determined (no pad_token in special_tokens_map.json, tokenizer_config.json or tokenizer.json); this tokenizer pads with \"!\" in the original, so padding with the end token would change every prompt's embedding");
        }

        var maxLength = files.MaxLength is { } length && length >= 2 && length < maxLengthLimit ? length : maxLengthLimit;
        try
        {
            return new ClipTokenizer(
                files.Vocabulary,
                files.Merges,
                files.PadToken ?? EndOfText,
                maxLength,
                files.BosToken ?? StartOfText,
                files.EosToken ?? EndOfText);
        }
        catch (KeyNotFoundException e)
        {
            throw new ModelLoadException($"{folder}: {e.Message}", e);
        }
    }

    /// <summary>The id of one vocabulary entry (such as <c>,&lt;/w&gt;</c>), or null when the vocabulary lacks it.</summary>
    public int? IdOf(string token) => vocabulary.TryGetValue(token, out var id) ? id : null;

    /// <summary>Ids of <paramref name="text"/> as the text encoder takes them: exactly <see cref="MaxLength"/> long.</summary>
    public TokenizedPrompt Encode(string text)
    {
        var words = EncodeWords(text);
        var room = MaxLength - 2;
        var ids = new int[MaxLength];
        Array.Fill(ids, PadId);
        ids[0] = BosId;
        var kept = Math.Min(words.Count, room);
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = words[i];
        }

        ids[kept + 1] = EosId;
        return new TokenizedPrompt(ids, words.Count > room);
    }

    /// <summary>The BPE ids of the text alone, without BOS, EOS or padding.</summary>
    public IReadOnlyList<int> EncodeWords(string text)
    {
        var ids = new List<int>();
        var cleaned = WhitespaceRun().Replace(WebUtilityDecode(text).Normalize(NormalizationForm.FormC), " ").Trim().ToLowerInvariant();
        foreach (Match match in Pattern().Matches(cleaned))
        {
            ids.AddRange(EncodeToken(match.Value));
        }

        return ids;
    }

    private int[] EncodeToken(string token)
    {
        lock (cacheLock)
        {
            if (cache.TryGetValue(token, out var cached))
            {
                return cached;
            }
        }

        int[] ids;
        if (token is StartOfText or EndOfText)
        {
            ids = [IdOf(token, "special token")];
        }
        else
        {
            var bytes = Encoding.UTF8.GetBytes(token);
            var symbols = new List<string>(bytes.Length);
            for (var i = 0; i < bytes.Length; i++)
            {
                var symbol = ByteEncoder.ByteToChar[bytes[i]].ToString();
                symbols.Add(i == bytes.Length - 1 ? symbol + "</w>" : symbol);
            }

            ids = Merge(symbols).Select(symbol => IdOf(symbol, "BPE symbol")).ToArray();
        }

        lock (cacheLock)
        {
            if (cache.Count >= CacheLimit)
            {
                cache.Clear();
            }

            cache[token] = ids;
        }

        return ids;
    }

    /// <summary>Repeatedly merges the adjacent pair with the lowest rank, every occurrence at once, until none is known.</summary>
    private List<string> Merge(List<string> symbols)
    {
        while (symbols.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            var (left, right) = (symbols[best], symbols[best + 1]);
            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i < symbols.Count - 1 && symbols[i] == left && symbols[i + 1] == right)
                {
                    merged.Add(left + right);
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }

            symbols = merged;
        }

        return symbols;
    }

    private int IdOf(string token, string role) =>
        vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new KeyNotFoundException($"{role} '{token}' is not in the vocabulary");

    private static string WebUtilityDecode(string text) =>
        System.Net.WebUtility.HtmlDecode(System.Net.WebUtility.HtmlDecode(text));

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRun();

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
