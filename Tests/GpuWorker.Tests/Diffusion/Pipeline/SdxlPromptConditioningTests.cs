using Microsoft.ML.OnnxRuntime;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Prompting;
using static SdServerless.GpuWorker.Tests.Diffusion.Pipeline.TinyModelFixture;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>SDXL: both encoders chunked alike, their states side by side per token, the pooled embedding from the first chunk.</summary>
public sealed class SdxlPromptConditioningTests(SdxlModelFixture fixture) : IClassFixture<SdxlModelFixture>
{
    private PromptConditioning Build(GenerationRequest request, bool guided = false)
    {
        using var options = new RunOptions();
        return new ConditioningBuilder(fixture.Pipeline.Model, options).Build(request, batchSize: 1, guided);
    }

    private static string Cats(int count) => string.Join(' ', Enumerable.Repeat("cat", count));

    [Fact]
    public void ALongPromptIsChunkedForBothEncodersAndPooledFromItsFirstChunk()
    {
        var contextSize = fixture.Pipeline.Model.ContextSize;
        var shortPrompt = Build(Request(prompt: Cats(75)));
        var longPrompt = Build(Request(prompt: Cats(75) + " dog"));
        Assert.Equal(154, longPrompt.ContextTokens);
        Assert.Equal(154 * contextSize, longPrompt.Context.Length);
        Assert.Equal(shortPrompt.Context, longPrompt.Context[..(77 * contextSize)]);
        Assert.Equal(shortPrompt.Pooled, longPrompt.Pooled);
        Assert.NotEqual(Build(Request(prompt: Cats(75) + " lake")).Context, longPrompt.Context);
    }

    [Fact]
    public void AnEmptyNegativePromptIsZerosForEveryChunk()
    {
        var guided = Build(Request(prompt: "a cat BREAK a dog"), guided: true);
        var perPrompt = guided.Context.Length / 2;
        Assert.All(guided.Context[..perPrompt], value => Assert.Equal(0f, value));
        Assert.Contains(guided.Context[perPrompt..], value => value != 0f);
    }

    [Fact]
    public void AWeightOfOneIsThePlainPromptBitForBit() =>
        Assert.Equal(Build(Request(prompt: "a photo of a cat")).Context, Build(Request(prompt: "a (photo:1) of a cat")).Context);

    [Fact]
    public void ClipSkipLeavesSdxlAsA1111LeavesIt() =>
        Assert.Equal(Build(Request()).Context, Build(Request() with { ClipSkip = 2 }).Context);
}
