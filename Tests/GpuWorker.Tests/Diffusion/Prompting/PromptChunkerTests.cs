using SdServerless.GpuWorker.Diffusion.Prompting;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using SdServerless.GpuWorker.Diffusion.Tokenization;

namespace SdServerless.GpuWorker.Tests.Diffusion.Prompting;

/// <summary>A1111's <c>tokenize_line</c>: 75-token chunks, comma backtrack, BREAK, padding, weights per token.</summary>
public sealed class PromptChunkerTests
{
    private static readonly TinyVocabulary Vocabulary = TinyVocabulary.Create();

    private static ClipTokenizer Tokenizer(string pad = ClipTokenizer.EndOfText) => new(Vocabulary.Tokens, Vocabulary.Merges, pad);

    private static readonly ClipTokenizer Sd1 = Tokenizer();

    private static int Id(string symbol) => Vocabulary.Tokens[symbol];

    private static string Words(string word, int count) => string.Join(' ', Enumerable.Repeat(word, count));

    private static ChunkedPrompt Chunk(string prompt, EmphasisMode emphasis = EmphasisMode.Original) => new PromptChunker(Sd1).Chunk(prompt, emphasis);

    [Fact]
    public void AShortPromptIsOneChunkOfStartTokensEndAndPadding()
    {
        var chunked = Chunk("a cat");
        var chunk = Assert.Single(chunked.Chunks);
        Assert.Equal(2, chunked.TokenCount);
        Assert.Equal(77, chunk.Ids.Length);
        Assert.Equal([Sd1.BosId, Id("a</w>"), Id("cat</w>"), Sd1.EosId, Sd1.EosId], chunk.Ids.Take(5));
        Assert.All(chunk.Ids.Skip(3), id => Assert.Equal(Sd1.EosId, id));
        Assert.All(chunk.Multipliers, weight => Assert.Equal(1f, weight));
    }

    [Fact]
    public void AnEmptyPromptIsOneEmptyChunk()
    {
        var chunked = Chunk("");
        Assert.Equal(0, chunked.TokenCount);
        Assert.Equal(new PromptChunker(Sd1).EmptyChunk().Ids, Assert.Single(chunked.Chunks).Ids);
    }

    [Fact]
    public void PaddingAfterTheFirstEndTokenIsThePadToken()
    {
        var sd2 = Tokenizer("!");
        var chunk = Assert.Single(new PromptChunker(sd2).Chunk("a cat", EmphasisMode.Original).Chunks);
        Assert.Equal([sd2.BosId, Id("a</w>"), Id("cat</w>"), sd2.EosId, 0, 0], chunk.Ids.Take(6));
        Assert.Equal(0, chunk.Ids[^1]);
    }

    [Fact]
    public void SeventyFiveTokensFillOneChunkAndTheSeventySixthStartsAnother()
    {
        Assert.Single(Chunk(Words("cat", 75)).Chunks);
        var chunked = Chunk(Words("cat", 76));
        Assert.Equal(2, chunked.Chunks.Count);
        Assert.Equal(76, chunked.TokenCount);
        Assert.Equal(Sd1.EosId, chunked.Chunks[0].Ids[76]);
        Assert.Equal([Sd1.BosId, Id("cat</w>"), Sd1.EosId], chunked.Chunks[1].Ids.Take(3));
    }

    [Fact]
    public void AFullChunkMovesTheWordsAfterACommaWithinTwentyTokensToTheNextChunk()
    {
        // 70 words, a comma (token 71), then 10 words: the chunk is full at 75; the comma is 4 tokens back, so the
        // last 4 words move on and the first chunk ends with the comma, padded.
        var chunked = Chunk(Words("cat", 70) + ", " + Words("dog", 10));
        Assert.Equal(2, chunked.Chunks.Count);
        var first = chunked.Chunks[0].Ids;
        Assert.Equal(Id(",</w>"), first[71]);
        Assert.All(first[72..], id => Assert.Equal(Sd1.EosId, id));
        Assert.Equal(Enumerable.Repeat(Id("dog</w>"), 10), chunked.Chunks[1].Ids.Skip(1).Take(10));
        Assert.Equal(75 + 10, chunked.TokenCount);
    }

    [Fact]
    public void ACommaMoreThanTwentyTokensBackIsNotABreakPoint()
    {
        var chunked = Chunk(Words("cat", 50) + ", " + Words("dog", 30));
        var first = chunked.Chunks[0].Ids;
        Assert.Equal(Id("dog</w>"), first[75]);
        Assert.Equal(Enumerable.Repeat(Id("dog</w>"), 6), chunked.Chunks[1].Ids.Skip(1).Take(6));
        Assert.Equal(Sd1.EosId, chunked.Chunks[1].Ids[7]);
    }

    [Fact]
    public void BreakClosesTheChunkAndCountsItAsFull()
    {
        var chunked = Chunk("a cat BREAK a dog");
        Assert.Equal(2, chunked.Chunks.Count);
        Assert.Equal([Sd1.BosId, Id("a</w>"), Id("cat</w>"), Sd1.EosId], chunked.Chunks[0].Ids.Take(4));
        Assert.Equal([Sd1.BosId, Id("a</w>"), Id("dog</w>"), Sd1.EosId], chunked.Chunks[1].Ids.Take(4));
        Assert.Equal(75 + 2, chunked.TokenCount);
    }

    [Fact]
    public void EachTokenCarriesItsFragmentsWeightInFloat32()
    {
        var chunk = Chunk("a (cat:1.3) [dog]").Chunks[0];
        Assert.Equal([1f, 1f, 1.3f, (float)(1 / 1.1), 1f], chunk.Multipliers.Take(5));
    }

    [Fact]
    public void EmphasisNoneReadsBracketsAndBreakLiterally()
    {
        var literal = Chunk("(cat) BREAK", EmphasisMode.None);
        Assert.Single(literal.Chunks);
        Assert.Equal([Sd1.BosId, Id("(</w>"), Id("cat</w>"), Id(")</w>")], literal.Chunks[0].Ids.Take(4));
        Assert.All(literal.Chunks[0].Multipliers, weight => Assert.Equal(1f, weight));
    }
}
