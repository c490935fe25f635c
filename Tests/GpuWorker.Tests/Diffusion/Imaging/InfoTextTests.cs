using System.Text.Json;
using System.Text.RegularExpressions;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Imaging;

namespace SdServerless.GpuWorker.Tests.Diffusion.Imaging;

public sealed partial class InfoTextTests
{
    private static GenerationRequest Request(string? negative = "blurry", byte[]? init = null) =>
        new("a photo of a cat", negative, 512, 768, 20, 7.5f, 42, "DPM++ 2M Karras", 1, 0.6f, init);

    [Fact]
    public void FormatsLikeAutomatic1111()
    {
        Assert.Equal(
            "a photo of a cat\nNegative prompt: blurry\nSteps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7.5, Seed: 42, Size: 512x768, Model: tiny",
            InfoText.Format(Request(), 42, "tiny"));
    }

    [Fact]
    public void OmitsAnEmptyNegativePromptAndAddsStrengthForImageToImage()
    {
        var text = InfoText.Format(Request(negative: null, init: [1]), 42, "tiny");
        Assert.DoesNotContain("Negative prompt", text);
        Assert.EndsWith("Model: tiny, Denoising strength: 0.6", text);
    }

    [Fact]
    public void A1111sParserReadsEveryValueBackIncludingQuotedOnes()
    {
        var text = InfoText.Format(Request(), 42, "my, model: v2");
        var parameters = ParseLastLine(text.Split('\n')[^1]);
        Assert.Equal("20", parameters["Steps"]);
        Assert.Equal("DPM++ 2M Karras", parameters["Sampler"]);
        Assert.Equal("7.5", parameters["CFG scale"]);
        Assert.Equal("42", parameters["Seed"]);
        Assert.Equal("512x768", parameters["Size"]);
        Assert.Equal("my, model: v2", parameters["Model"]);
    }

    /// <summary>A1111's <c>parse_generation_parameters</c>: its regex, and JSON-unquoting of quoted values.</summary>
    private static Dictionary<string, string> ParseLastLine(string line) =>
        A1111Pair().Matches(line).ToDictionary(
            match => match.Groups[1].Value,
            match => match.Groups[2].Value is ['"', .., '"'] quoted ? JsonSerializer.Deserialize<string>(quoted)! : match.Groups[2].Value);

    [GeneratedRegex("""\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)""")]
    private static partial Regex A1111Pair();
}
