using System.Text.Json;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion.Tokenization;

/// <summary>
/// A CLIP tokenizer folder in any layout current exporters write: <c>vocab.json</c> and <c>merges.txt</c> (special tokens
/// from <c>special_tokens_map.json</c>, else from <c>tokenizer_config.json</c>, which transformers 5 writes alone), or only
/// <c>tokenizer.json</c> (vocabulary, merges, added tokens and padding in one file). A token none of them names is null.
/// </summary>
public sealed record TokenizerFolder(
    IReadOnlyDictionary<string, int> Vocabulary, IReadOnlyList<(string Left, string Right)> Merges, string? BosToken, string? EosToken, string? PadToken, int? MaxLength)
{
    public static TokenizerFolder Read(string folder)
    {
        var special = ModelFiles.ReadOptionalJson<Dictionary<string, JsonElement>>(Path.Combine(folder, "special_tokens_map.json"));
        var config = ModelFiles.ReadOptionalJson<Dictionary<string, JsonElement>>(Path.Combine(folder, "tokenizer_config.json"));
        var maxLength = config?.TryGetValue("model_max_length", out var max) == true && max.ValueKind == JsonValueKind.Number && max.TryGetDouble(out var value) && value < int.MaxValue
            ? (int?)value
            : null;
        string? Token(string key) => TokenOf(special, key) ?? TokenOf(config, key);

        var vocabPath = Path.Combine(folder, "vocab.json");
        var fastPath = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(vocabPath) && File.Exists(fastPath))
        {
            return ReadFast(fastPath, Token("bos_token"), Token("eos_token"), Token("pad_token"), maxLength);
        }

        var mergesPath = Path.Combine(folder, "merges.txt");
        var vocabulary = ModelFiles.ReadJson<Dictionary<string, int>>(vocabPath);
        var merges = ModelFiles.ReadLines(mergesPath)
            .Where(line => line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal))
            .Select(line => Merge(line, mergesPath))
            .ToList();
        return new TokenizerFolder(vocabulary, merges, Token("bos_token"), Token("eos_token"), Token("pad_token"), maxLength);
    }

    /// <summary><c>tokenizer.json</c>: <c>model.vocab</c>, <c>model.merges</c> ("a b" or ["a", "b"]), and <c>padding.pad_token</c> when it pads.</summary>
    private static TokenizerFolder ReadFast(string path, string? bos, string? eos, string? pad, int? maxLength)
    {
        var root = ModelFiles.ReadJson<JsonElement>(path);
        if (!root.TryGetProperty("model", out var model) || !model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object
            || !model.TryGetProperty("merges", out var mergeList) || mergeList.ValueKind != JsonValueKind.Array)
        {
            throw new ModelLoadException($"{path}: expected a BPE model with 'model.vocab' and 'model.merges'");
        }

        var vocabulary = vocab.EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value.GetInt32(), StringComparer.Ordinal);
        var merges = mergeList.EnumerateArray()
            .Select(merge => merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                ? (merge[0].GetString()!, merge[1].GetString()!)
                : Merge(merge.GetString() ?? "", path))
            .ToList();
        if (root.TryGetProperty("padding", out var padding) && padding.ValueKind == JsonValueKind.Object
            && padding.TryGetProperty("pad_token", out var padToken) && padToken.ValueKind == JsonValueKind.String)
        {
            pad ??= padToken.GetString();
        }

        if (maxLength is null && root.TryGetProperty("truncation", out var truncation) && truncation.ValueKind == JsonValueKind.Object
            && truncation.TryGetProperty("max_length", out var length) && length.TryGetInt32(out var limit))
        {
            maxLength = limit;
        }

        return new TokenizerFolder(vocabulary, merges, bos, eos, pad, maxLength);
    }

    private static (string Left, string Right) Merge(string line, string path) =>
        line.Split(' ') is [var left, var right]
            ? (left, right)
            : throw new ModelLoadException($"{path}: merge '{line}' is not a merge of two symbols");

    private static string? TokenOf(Dictionary<string, JsonElement>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
                _ => null,
            }
            : null;
}
