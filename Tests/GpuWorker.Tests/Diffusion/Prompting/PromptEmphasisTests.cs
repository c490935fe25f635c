using SdServerless.GpuWorker.Diffusion.Prompting;

namespace SdServerless.GpuWorker.Tests.Diffusion.Prompting;

/// <summary>A1111's emphasis modes on a chunk's hidden states.</summary>
public sealed class PromptEmphasisTests
{
    // Two tokens of three values each.
    private static float[] States() => [1f, 2f, 3f, 4f, 5f, 6f];

    [Fact]
    public void NoNormMultipliesEachTokenByItsWeight()
    {
        var states = States();
        PromptEmphasis.Apply(EmphasisMode.NoNorm, states, [1f, 2f], 3);
        Assert.Equal([1f, 2f, 3f, 8f, 10f, 12f], states);
    }

    [Fact]
    public void OriginalMultipliesThenRestoresTheMeanOfTheWholeChunk()
    {
        var states = States();
        PromptEmphasis.Apply(EmphasisMode.Original, states, [1f, 2f], 3);
        // Mean 3.5 before; after multiplying [1,2,3,8,10,12] the mean is 6, so every value scales by 3.5 / 6.
        Assert.Equal(3.5, states.Average(), 5);
        Assert.Equal(8f * (3.5f / 6f), states[3], 5);
        Assert.Equal(8f, states[3] / states[0], 4);
    }

    [Theory]
    [InlineData(EmphasisMode.Original)]
    [InlineData(EmphasisMode.NoNorm)]
    [InlineData(EmphasisMode.Ignore)]
    public void WeightsOfOneLeaveTheStatesBitForBit(EmphasisMode mode)
    {
        float[] states = [0.1f, -0.7f, 0.33f, 1e-3f, 5.5f, -2.25f];
        var before = states.ToArray();
        PromptEmphasis.Apply(mode, states, [1f, 1f], 3);
        Assert.Equal(before, states);
    }

    [Fact]
    public void IgnoreLeavesWeightedStatesAlone()
    {
        var states = States();
        PromptEmphasis.Apply(EmphasisMode.Ignore, states, [1f, 2f], 3);
        Assert.Equal(States(), states);
    }

    [Theory]
    [InlineData("Original", EmphasisMode.Original)]
    [InlineData("no norm", EmphasisMode.NoNorm)]
    [InlineData("Ignore", EmphasisMode.Ignore)]
    [InlineData("None", EmphasisMode.None)]
    public void ModesAreNamedAsA1111NamesThem(string name, EmphasisMode mode)
    {
        Assert.Equal(mode, EmphasisModes.Parse(name));
        Assert.Equal(name, EmphasisModes.Name(mode), ignoreCase: true);
    }

    [Fact]
    public void AnUnknownModeIsNull() => Assert.Null(EmphasisModes.Parse("Louder"));
}
