using SdServerless.GpuWorker.Diffusion.Prompting;

namespace SdServerless.GpuWorker.Tests.Diffusion.Prompting;

/// <summary>A1111's <c>parse_prompt_attention</c>: its documented examples (weights to the last bit) and the edge cases.</summary>
public sealed class PromptAttentionParserTests
{
    private static (string, double)[] Parse(string text) =>
        PromptAttentionParser.Parse(text).Select(fragment => (fragment.Text, fragment.Weight)).ToArray();

    [Fact]
    public void PlainTextIsOneFragmentOfWeightOne() =>
        Assert.Equal([("normal text", 1.0)], Parse("normal text"));

    [Fact]
    public void RoundBracketsMultiplyByOnePointOne() =>
        Assert.Equal([("an ", 1.0), ("important", 1.1), (" word", 1.0)], Parse("an (important) word"));

    [Fact]
    public void AnUnclosedBracketAppliesToTheEnd() =>
        Assert.Equal([("unbalanced", 1.1)], Parse("(unbalanced"));

    [Fact]
    public void EscapedBracketsAreLiteral() =>
        Assert.Equal([("(literal]", 1.0)], Parse(@"\(literal\]"));

    [Fact]
    public void AdjacentGroupsOfEqualWeightMerge() =>
        Assert.Equal([("unnecessaryparens", 1.1)], Parse("(unnecessary)(parens)"));

    [Fact]
    public void NestedWeightsMultiplyInA1111sOrder() =>
        Assert.Equal(
            [
                ("a ", 1.0), ("house", 1.5730000000000004), (" ", 1.1), ("on", 1.0), (" a ", 1.1), ("hill", 0.55),
                (", sun, ", 1.1), ("sky", 1.4641000000000006), (".", 1.1),
            ],
            Parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).")); // A1111's own docstring example

    [Fact]
    public void SquareBracketsDivideByOnePointOne() =>
        Assert.Equal([("a ", 1.0), ("b", 1 / 1.1), ("c", 1 / 1.1 * (1 / 1.1))], Parse("a [b[c]]"));

    [Theory]
    [InlineData("(a:0)", 0.0)]
    [InlineData("(a:-1)", -1.0)]
    [InlineData("(a:+2)", 2.0)]
    [InlineData("(a:.5)", 0.5)]
    [InlineData("(a:1.)", 1.0)]
    [InlineData("(a:1.3)", 1.3)]
    public void AnExplicitWeightReplacesTheBracketsOnePointOne(string prompt, double weight) =>
        Assert.Equal([("a", weight)], Parse(prompt));

    [Fact]
    public void AWeightOfOneIsThePlainText() =>
        Assert.Equal(Parse("a cat"), Parse("a (cat:1)"));

    [Fact]
    public void ExponentsAreNotWeightsTheColonIsTextAndTheBracketClosesWithOnePointOne() =>
        Assert.Equal([("a:1e1", 1.1)], Parse("(a:1e1)"));

    [Fact]
    public void AWeightWithNothingOpenIsText() =>
        Assert.Equal([("a:1.3) b", 1.0)], Parse("a:1.3) b"));

    [Fact]
    public void ClosingBracketsWithNothingOpenAreText() =>
        Assert.Equal([("a) b] c", 1.0)], Parse("a) b] c"));

    [Fact]
    public void AColonWithoutAWeightIsText() =>
        Assert.Equal([("time: noon", 1.1)], Parse("(time: noon)"));

    [Fact]
    public void UnclosedRoundBracketsApplyBeforeUnclosedSquareOnes() =>
        Assert.Equal([("a", 1.1), ("b", 1.1 * (1 / 1.1))], Parse("(a[b"));

    [Theory]
    [InlineData("")]
    [InlineData("()")]
    [InlineData("[]")]
    [InlineData("(:1.5)")]
    public void EmptyPromptsAndGroupsGiveOneEmptyFragment(string prompt) =>
        Assert.Equal([("", 1.0)], Parse(prompt));

    [Fact]
    public void AnEmptyGroupBetweenWordsLeavesTheWords() =>
        Assert.Equal([("a  b", 1.0)], Parse("a () b"));

    [Fact]
    public void BackslashesEscapeBracketsAndThemselvesAndAreDroppedElsewhere()
    {
        Assert.Equal([(@"a\b", 1.0)], Parse(@"a\\b"));
        Assert.Equal([("ab", 1.0)], Parse(@"a\b"));
        Assert.Equal([("[x]", 1.0)], Parse(@"\[x\]"));
    }

    [Fact]
    public void BreakSplitsChunksAndSwallowsTheSpaceAroundIt()
    {
        var fragments = PromptAttentionParser.Parse("a cat BREAK a dog");
        Assert.Equal(["a cat", "BREAK", "a dog"], fragments.Select(f => f.Text));
        Assert.True(fragments[1].IsBreak);
    }

    [Fact]
    public void BreakMustBeAWholeUpperCaseWord()
    {
        Assert.Equal([("BREAKFAST break", 1.0)], Parse("BREAKFAST break"));
        Assert.Equal([("", 1.0), ("BREAK", -1.0), ("", 1.0)], Parse("BREAK"));
    }

    [Fact]
    public void BreakInsideBracketsIsScaledAndThenReadAsAWord()
    {
        var fragments = PromptAttentionParser.Parse("(a BREAK b)");
        Assert.Equal([("a", 1.1), ("BREAK", -1.1), ("b", 1.1)], fragments.Select(f => (f.Text, f.Weight)));
        Assert.DoesNotContain(fragments, f => f.IsBreak);
    }

    [Theory]
    [InlineData("(a:1.2.3)")]
    [InlineData("(a:.)")]
    [InlineData("(a:-.)")]
    public void AWeightThatIsNoNumberIsAnError(string prompt) =>
        Assert.Throws<FormatException>(() => PromptAttentionParser.Parse(prompt));
}
