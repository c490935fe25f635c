using Microsoft.ML.OnnxRuntime;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Prompting;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using StbImageSharp;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>Prompts on the tiny model read as A1111 reads them: long prompts, emphasis, BREAK, clip skip.</summary>
public sealed class PromptConditioningTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private const int Hidden = TinyModelGenerator.HiddenSize;

    private byte[] Pixels(GenerationRequest request) =>
        ImageResult.FromMemory(fixture.Pipeline.Run(request, null, CancellationToken.None).Images[0].Png, ColorComponents.RedGreenBlue).Data;

    private static float[] Conditioning(StableDiffusionModel model, GenerationRequest request)
    {
        using var options = new RunOptions();
        return new ConditioningBuilder(model, options).Build(request, batchSize: 1, guided: false).Context;
    }

    private float[] Conditioning(GenerationRequest request) => Conditioning(fixture.Pipeline.Model, request);

    private static string Cats(int count) => string.Join(' ', Enumerable.Repeat("cat", count));

    [Fact]
    public void WordsAfterTheSeventyFifthTokenChangeTheImage()
    {
        var dog = Request(prompt: Cats(75) + " dog");
        var lake = Request(prompt: Cats(75) + " lake");
        Assert.NotEqual(Pixels(dog), Pixels(lake));
        var result = fixture.Pipeline.Run(dog, null, CancellationToken.None);
        Assert.Equal(new PromptTokenUsage(76, 0, 154), result.PromptTokens);
    }

    [Fact]
    public void TheConditioningOfALongPromptIsItsChunksSideBySide()
    {
        var both = Conditioning(Request(prompt: "a cat BREAK a dog"));
        Assert.Equal(2 * 77 * Hidden, both.Length);
        Assert.Equal(Conditioning(Request(prompt: "a cat")), both[..(77 * Hidden)]);
        Assert.Equal(Conditioning(Request(prompt: "a dog")), both[(77 * Hidden)..]);
    }

    [Fact]
    public void AWeightOfOneIsThePlainPromptBitForBit()
    {
        Assert.Equal(Conditioning(Request(prompt: "a photo of a cat")), Conditioning(Request(prompt: "a photo of a (cat:1)")));
        Assert.Equal(Conditioning(Request(prompt: "a photo of a cat")), Conditioning(Request(prompt: "(a photo:1) of a cat")));
        Assert.Equal(Pixels(Request(prompt: "a photo of a cat")), Pixels(Request(prompt: "a photo of a (cat:1)")));
    }

    [Fact]
    public void BreakChangesTheImage() =>
        Assert.NotEqual(Pixels(Request(prompt: "a photo of a cat")), Pixels(Request(prompt: "a photo BREAK of a cat")));

    [Theory]
    [InlineData(EmphasisMode.NoNorm)]
    [InlineData(EmphasisMode.Original)]
    public void ALargerWeightMovesThatTokensStateFurtherFromTheEmptyPrompts(EmphasisMode emphasis)
    {
        // "a photo of a cat": "cat" is token 5 of the chunk.
        var empty = Conditioning(Request(prompt: "")).AsSpan(5 * Hidden, Hidden).ToArray();
        double Distance(string prompt) => Math.Sqrt(Conditioning(Request(prompt: prompt) with { Emphasis = emphasis })
            .AsSpan(5 * Hidden, Hidden).ToArray().Zip(empty, (a, b) => (double)(a - b) * (a - b)).Sum());
        var plain = Distance("a photo of a cat");
        Assert.True(Distance("a photo of a (cat:1.5)") > plain);
        Assert.True(Distance("a photo of a (cat:2)") > Distance("a photo of a (cat:1.5)"));
        Assert.True(Distance("a photo of a [cat]") < plain);
    }

    [Fact]
    public void NoNormMultipliesTheTokensStateByItsWeight()
    {
        var plain = Conditioning(Request(prompt: "a photo of a cat"));
        var weighted = Conditioning(Request(prompt: "a photo of a (cat:2)") with { Emphasis = EmphasisMode.NoNorm });
        for (var i = 5 * Hidden; i < 6 * Hidden; i++)
        {
            Assert.Equal(plain[i] * 2f, weighted[i]);
        }

        Assert.Equal(plain[..(5 * Hidden)], weighted[..(5 * Hidden)]);
    }

    [Fact]
    public void TheNegativePromptIsPaddedWithEmptyChunksToThePromptsLength()
    {
        using var options = new RunOptions();
        var builder = new ConditioningBuilder(fixture.Pipeline.Model, options);
        var guided = builder.Build(Request(prompt: "a cat BREAK a dog", negative: "blurry"), batchSize: 1, guided: true);
        Assert.Equal(2 * 2 * 77 * Hidden, guided.Context.Length);
        var negative = guided.Context.AsSpan(0, 2 * 77 * Hidden).ToArray();
        Assert.Equal(Conditioning(Request(prompt: "blurry")), negative[..(77 * Hidden)]);
        Assert.Equal(Conditioning(Request(prompt: "")), negative[(77 * Hidden)..]);
    }

    [Fact]
    public void AUnetWithAFixedTokenAxisRefusesALongPromptNamingPromptAndTheLimit()
    {
        using var pipeline = new StableDiffusionPipeline(Load(fixture.Generate("fixed-tokens", TinyModelVariant.Parse("fixed-tokens"))));
        Assert.NotNull(pipeline.Run(Request(prompt: Cats(75)), null, CancellationToken.None).Images[0].Png);
        var error = Assert.Throws<GenerationInputException>(() => pipeline.Run(Request(prompt: Cats(80)), null, CancellationToken.None));
        Assert.Equal("prompt_too_long", error.Code);
        Assert.StartsWith("prompt has 80 tokens", error.Message);
        Assert.Contains("at most 75", error.Message);
        var negative = Assert.Throws<GenerationInputException>(() => pipeline.Run(Request(negative: Cats(80)), null, CancellationToken.None));
        Assert.StartsWith("negative_prompt has 80 tokens", negative.Message);
    }

    [Fact]
    public void ClipSkipTwoReadsThePenultimateLayerThroughTheFinalLayerNorm()
    {
        // The tiny encoder's layer 1 (hidden_states.1) is tanh(embeddings), which is also its last_hidden_state; clip skip 2
        // reads hidden_states[-2] = hidden_states.1 of its 2 layers, then the final layer norm computed here by hand.
        var last = Conditioning(Request(prompt: "a photo of a cat"));
        var skipped = Conditioning(Request(prompt: "a photo of a cat") with { ClipSkip = 2 });
        var onnx = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(fixture.Pipeline.Model.TextEncoder.Path));
        float[] Initializer(string name) => [.. onnx.Graph.Initializer.Single(tensor => tensor.Name == name).FloatData];
        var weight = Initializer(FinalLayerNorm.WeightName);
        var bias = Initializer(FinalLayerNorm.BiasName);
        for (var token = 0; token < 77; token++)
        {
            var values = last.AsSpan(token * Hidden, Hidden).ToArray();
            var mean = values.Average(value => (double)value);
            var variance = values.Average(value => (value - mean) * (value - mean));
            for (var i = 0; i < Hidden; i++)
            {
                var expected = (values[i] - mean) / Math.Sqrt(variance + 1e-5) * weight[i] + bias[i];
                Assert.Equal(expected, skipped[token * Hidden + i], 1e-4);
            }
        }

        Assert.Equal(last, Conditioning(Request(prompt: "a photo of a cat") with { ClipSkip = 1 }));
        Assert.NotEqual(Pixels(Request()), Pixels(Request() with { ClipSkip = 2 }));
    }

    [Fact]
    public void ClipSkipBeyondTheEncodersLayersIsRefused()
    {
        var error = Assert.Throws<GenerationInputException>(() => Conditioning(Request() with { ClipSkip = 3 }));
        Assert.Equal("clip_skip_unavailable", error.Code);
        Assert.Contains("2 layers", error.Message);
    }

    [Fact]
    public void ClipSkipIsRefusedWhereTheExportHasNoHiddenStates()
    {
        using var model = Load(fixture.Generate("no-hidden-states", TinyModelVariant.Parse("no-hidden-states")));
        var error = Assert.Throws<GenerationInputException>(() => Conditioning(model, Request() with { ClipSkip = 2 }));
        Assert.Equal("clip_skip_unavailable", error.Code);
        Assert.Contains("output_hidden_states", error.Message);
    }

    [Fact]
    public void ClipSkipLeavesSd2AsA1111LeavesIt()
    {
        using var model = Load(fixture.Generate("sd2-clip-skip", TinyModelVariant.Parse("sd2-pad")));
        Assert.Equal(Conditioning(model, Request()), Conditioning(model, Request() with { ClipSkip = 2 }));
    }

    [Fact]
    public void AWeightThatIsNoNumberIsTheRequestsFault()
    {
        var error = Assert.Throws<GenerationInputException>(() => Conditioning(Request(prompt: "a (cat:1.2.3)")));
        Assert.Equal("invalid_prompt", error.Code);
        Assert.StartsWith("prompt", error.Message);
    }

    [Fact]
    public void TheInfotextWritesClipSkipAndANonDefaultEmphasisAsA1111Does()
    {
        var png = fixture.Pipeline.Run(Request(prompt: "a (cat:1.2)") with { ClipSkip = 2, Emphasis = EmphasisMode.NoNorm }, null, CancellationToken.None).Images[0].Png;
        var text = System.Text.Encoding.Latin1.GetString(png);
        Assert.Contains("Model: default, Clip skip: 2, Emphasis: No norm", text);
    }
}
