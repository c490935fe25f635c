using System.Text.Json.Nodes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using SdServerless.GpuWorker.Diffusion.Tokenization;
using SdServerless.GpuWorker.Tests.Diffusion.Pipeline;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Tests.Diffusion.Tokenization;

/// <summary>
/// Tokenizer folders as exporters write them, built in a temp folder from the tiny vocabulary: vocab.json and merges.txt
/// with special_tokens_map.json (transformers 4), with tokenizer_config.json alone (transformers 5), and tokenizer.json
/// alone. The same prompt gives the same ids in every layout.
/// </summary>
public sealed class TokenizerFolderTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>, IDisposable
{
    private const string Prompt = "A photo of a cat, riding a horse at sunset; high quality!";
    private readonly string root = Directory.CreateTempSubdirectory("tokenizer-layouts-").FullName;
    private readonly TinyVocabulary vocabulary = TinyVocabulary.Create();

    [Fact]
    public void EveryLayoutGivesTheSameIds()
    {
        var expected = ClipTokenizer.Load(WriteSplit("transformers4", specialTokensMap: true, configTokens: false)).Encode(Prompt).Ids;
        var transformers5 = ClipTokenizer.Load(WriteSplit("transformers5", specialTokensMap: false, configTokens: true));
        var fast = ClipTokenizer.Load(WriteFast("fast", padToken: null));

        Assert.Equal(expected, transformers5.Encode(Prompt).Ids);
        Assert.Equal(expected, fast.Encode(Prompt).Ids);
        Assert.Equal(vocabulary.Tokens[ClipTokenizer.EndOfText], expected[^1]);
        Assert.True(expected.Distinct().Count() > 5);
    }

    [Fact]
    public void ThePadTokenComesFromTokenizerConfigWhenTheSpecialTokensMapIsAbsent()
    {
        var tokenizer = ClipTokenizer.Load(WriteSplit("config-pad", specialTokensMap: false, configTokens: true, pad: "!"), 77, padTokenRequired: true);
        Assert.Equal(vocabulary.Tokens["!"], tokenizer.PadId);
        Assert.Equal(0, tokenizer.Encode("a cat").Ids[^1]);
    }

    [Fact]
    public void ThePadTokenComesFromTokenizerJsonPadding()
    {
        var tokenizer = ClipTokenizer.Load(WriteFast("fast-pad", padToken: "!"), 77, padTokenRequired: true);
        Assert.Equal(vocabulary.Tokens["!"], tokenizer.PadId);
    }

    [Fact]
    public void ASecondTokenizerWithoutAPadTokenIsRefusedWithTheReason()
    {
        var folder = WriteSplit("no-pad", specialTokensMap: false, configTokens: false);
        var error = Assert.Throws<ModelLoadException>(() => ClipTokenizer.Load(folder, 77, padTokenRequired: true));
        Assert.Contains("pad token cannot be determined", error.Message);
        Assert.Equal(vocabulary.Tokens[ClipTokenizer.EndOfText], ClipTokenizer.Load(folder).PadId);
    }

    [Fact]
    public void AnSdxlModelWhoseSecondTokenizerNamesNoPadTokenIsRefusedAtLoad()
    {
        var folder = fixture.Generate("sdxl-no-pad", TinyModelVariant.Parse("sdxl"));
        File.Delete(Path.Combine(folder, "tokenizer_2", "special_tokens_map.json"));
        var error = Assert.Throws<ModelLoadException>(() => TinyModelFixture.Load(folder));
        Assert.Contains("tokenizer_2", error.Message);
        Assert.Contains("pad token", error.Message);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string WriteSplit(string name, bool specialTokensMap, bool configTokens, string pad = ClipTokenizer.EndOfText)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        Write(folder, "vocab.json", Vocab());
        File.WriteAllLines(Path.Combine(folder, "merges.txt"), vocabulary.Merges.Select(merge => $"{merge.Left} {merge.Right}").Prepend("#version: 0.2"));
        var config = new JsonObject { ["model_max_length"] = 77, ["tokenizer_class"] = "CLIPTokenizer" };
        if (configTokens)
        {
            config["bos_token"] = ClipTokenizer.StartOfText;
            config["eos_token"] = ClipTokenizer.EndOfText;
            config["pad_token"] = pad;
        }

        Write(folder, "tokenizer_config.json", config);
        if (specialTokensMap)
        {
            Write(folder, "special_tokens_map.json", new JsonObject
            {
                ["bos_token"] = new JsonObject { ["content"] = ClipTokenizer.StartOfText },
                ["eos_token"] = new JsonObject { ["content"] = ClipTokenizer.EndOfText },
                ["pad_token"] = pad,
            });
        }

        return folder;
    }

    /// <summary>tokenizer.json alone, merges as pairs (tokenizers 0.20 and later).</summary>
    private string WriteFast(string name, string? padToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        var merges = new JsonArray(vocabulary.Merges.Select(merge => (JsonNode)new JsonArray(merge.Left, merge.Right)).ToArray());
        var addedTokens = new JsonArray(
            new JsonObject { ["id"] = vocabulary.Tokens[ClipTokenizer.StartOfText], ["content"] = ClipTokenizer.StartOfText, ["special"] = true },
            new JsonObject { ["id"] = vocabulary.Tokens[ClipTokenizer.EndOfText], ["content"] = ClipTokenizer.EndOfText, ["special"] = true });
        Write(folder, "tokenizer.json", new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = new JsonObject { ["max_length"] = 77 },
            ["padding"] = padToken is null ? null : new JsonObject { ["pad_token"] = padToken, ["pad_id"] = vocabulary.Tokens[padToken] },
            ["added_tokens"] = addedTokens,
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = Vocab(), ["merges"] = merges, ["end_of_word_suffix"] = "</w>" },
        });
        return folder;
    }

    private JsonObject Vocab()
    {
        var vocab = new JsonObject();
        foreach (var (token, id) in vocabulary.Tokens)
        {
            vocab[token] = id;
        }

        return vocab;
    }

    private static void Write(string folder, string file, JsonNode node) => File.WriteAllText(Path.Combine(folder, file), node.ToJsonString());
}
