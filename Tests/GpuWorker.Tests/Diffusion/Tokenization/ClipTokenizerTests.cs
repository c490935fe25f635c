using SdServerless.GpuWorker.Diffusion.TinyModels;
using SdServerless.GpuWorker.Diffusion.Tokenization;

namespace SdServerless.GpuWorker.Tests.Diffusion.Tokenization;

public sealed class ClipTokenizerTests
{
    /// <summary>An excerpt of the real CLIP vocabulary: these entries carry their real ids.</summary>
    private static ClipTokenizer RealExcerpt(string pad = ClipTokenizer.EndOfText)
    {
        var vocabulary = new Dictionary<string, int>
        {
            ["!"] = 0,
            ["a</w>"] = 320,
            ["of</w>"] = 539,
            ["photo</w>"] = 1125,
            ["cat</w>"] = 2368,
            [ClipTokenizer.StartOfText] = 49406,
            [ClipTokenizer.EndOfText] = 49407,
        };
        (string, string)[] merges = [("o", "f</w>"), ("p", "h"), ("ph", "o"), ("pho", "t"), ("phot", "o</w>"), ("c", "a"), ("ca", "t</w>")];
        return new ClipTokenizer(vocabulary, merges, pad);
    }

    [Fact]
    public void APhotoOfACatGivesTheRealClipIds()
    {
        var ids = RealExcerpt().Encode("a photo of a cat").Ids;
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], ids.Take(7));
        Assert.Equal(77, ids.Length);
    }

    /// <summary>The tiny vocabulary plus "café" as one symbol, spelled as byte-level BPE spells the composed é (C3 A9).</summary>
    private static ClipTokenizer WithComposedCafe(out int cafeId)
    {
        var tiny = TinyVocabulary.Create();
        var tokens = new Dictionary<string, int>(tiny.Tokens);
        (string, string)[] extra = [("c", "a"), ("ca", "f"), ("\u00c3", "\u00a9</w>"), ("caf", "\u00c3\u00a9</w>")];
        foreach (var (left, right) in extra)
        {
            tokens.TryAdd(left + right, tokens.Count);
        }

        cafeId = tokens["caf\u00c3\u00a9</w>"];
        return new ClipTokenizer(tokens, tiny.Merges.Concat(extra));
    }

    [Theory]
    [InlineData("caf\u00e9")]
    [InlineData("cafe\u0301")]
    [InlineData("CAFE\u0301")]
    [InlineData("cafe&#769;")]
    public void AccentsComposedOrDecomposedGiveTheComposedSymbol(string prompt)
    {
        var tokenizer = WithComposedCafe(out var cafeId);
        Assert.Equal([cafeId], tokenizer.EncodeWords(prompt));
    }

    [Fact]
    public void AComposedAndADecomposedPromptGiveTheSameIds()
    {
        var tiny = TinyVocabulary.Create();
        var tokenizer = new ClipTokenizer(tiny.Tokens, tiny.Merges);
        var composed = tokenizer.Encode("a photo of a caf\u00e9 in the city, na\u00efve").Ids;
        Assert.Equal(composed, tokenizer.Encode("a photo of a cafe\u0301 in the city, nai\u0308ve").Ids);
        Assert.Contains(tiny.Tokens["\u00c3"], composed);
    }

    [Fact]
    public void TextIsLowercasedAndWhitespaceFolded()
    {
        var tokenizer = RealExcerpt();
        Assert.Equal(tokenizer.EncodeWords("a photo of a cat"), tokenizer.EncodeWords("  A \t PHOTO\n\nof   a Cat "));
    }

    [Fact]
    public void StableDiffusion1PadsWithEndOfText()
    {
        var ids = RealExcerpt().Encode("a cat").Ids;
        Assert.All(ids.Skip(4), id => Assert.Equal(49407, id));
    }

    [Fact]
    public void StableDiffusion2PadsWithExclamationMarkIdZero()
    {
        var ids = RealExcerpt(pad: "!").Encode("a cat").Ids;
        Assert.Equal(49407, ids[3]);
        Assert.All(ids.Skip(4), id => Assert.Equal(0, id));
    }

    [Fact]
    public void LongPromptsAreCutTo77AndReportedTruncated()
    {
        var tokenizer = RealExcerpt();
        var longPrompt = string.Join(' ', Enumerable.Repeat("cat", 80));
        var result = tokenizer.Encode(longPrompt);
        Assert.True(result.Truncated);
        Assert.Equal(77, result.Ids.Length);
        Assert.Equal(49406, result.Ids[0]);
        Assert.Equal(49407, result.Ids[76]);
        Assert.False(tokenizer.Encode(string.Join(' ', Enumerable.Repeat("cat", 75))).Truncated);
        Assert.True(tokenizer.Encode(string.Join(' ', Enumerable.Repeat("cat", 76))).Truncated);
    }

    [Fact]
    public void UnknownWordsFallBackToByteSymbolsOfTheTinyVocabulary()
    {
        var vocabulary = TinyVocabulary.Create();
        var tokenizer = new ClipTokenizer(vocabulary.Tokens, vocabulary.Merges);
        var known = tokenizer.EncodeWords("photo");
        var unknown = tokenizer.EncodeWords("zqx, ünï");
        Assert.Single(known);
        Assert.Equal(vocabulary.Tokens["photo</w>"], known[0]);
        Assert.True(unknown.Count > 3);
        Assert.All(unknown, id => Assert.InRange(id, 0, 511));
        Assert.Equal(0, vocabulary.Tokens["!"]);
    }

    [Fact]
    public void HtmlEntitiesAreDecoded()
    {
        var tokenizer = RealExcerpt();
        Assert.Equal(tokenizer.EncodeWords("a cat"), tokenizer.EncodeWords("a&#32;cat"));
    }
}
