using SdServerless.GpuWorker.Cli;
using StbImageSharp;

namespace SdServerless.GpuWorker.Tests.Cli;

/// <summary><c>tiny-model</c> then <c>generate</c> from the command line, on an SDXL-shaped model.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sd-cli-").FullName;

    [Fact]
    public async Task GenerateOnATinySdxlModelWritesAPngOfTheRequestedSizeWithParameters()
    {
        var model = Path.Combine(root, "tiny-sdxl");
        var png = Path.Combine(root, "out.png");
        Assert.Equal(0, await CommandLine.RunAsync(["tiny-model", "--out", model, "--variant", "sdxl"]));
        Assert.Equal(0, await CommandLine.RunAsync(
            ["generate", "--model", model, "--prompt", "a cat", "--width", "128", "--height", "64", "--steps", "2", "--seed", "5", "--execution-provider", "cpu", "--out", png]));

        var bytes = await File.ReadAllBytesAsync(png);
        var image = ImageResult.FromMemory(bytes, ColorComponents.RedGreenBlue);
        Assert.Equal(128, image.Width);
        Assert.Equal(64, image.Height);
        Assert.Contains("parameters\0a cat\nSteps: 2, Sampler: Euler a, Schedule type: Uniform, CFG scale: 7, Seed: 5, Size: 128x64, Model: tiny-sdxl, RNG: CPU", System.Text.Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public async Task WithoutASizeGenerateUsesTheModelsNativeSizeAndTurboDefaults()
    {
        var model = Path.Combine(root, "tiny-sdxl-turbo");
        var png = Path.Combine(root, "turbo.png");
        Assert.Equal(0, await CommandLine.RunAsync(["tiny-model", "--out", model, "--variant", "sdxl-turbo"]));
        Assert.Equal(0, await CommandLine.RunAsync(["generate", "--model", model, "--prompt", "a cat", "--seed", "1", "--execution-provider", "cpu", "--out", png]));

        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal(512, ImageResult.FromMemory(bytes, ColorComponents.RedGreenBlue).Width);
        Assert.Contains("Steps: 1, Sampler: Euler a, Schedule type: Uniform, CFG scale: 0,", System.Text.Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public async Task ARefusedModelIsAnErrorExitCode()
    {
        var model = Path.Combine(root, "broken-sdxl");
        Assert.Equal(0, await CommandLine.RunAsync(["tiny-model", "--out", model, "--variant", "sdxl"]));
        Directory.Delete(Path.Combine(model, "text_encoder_2"), recursive: true);
        Assert.Equal(2, await CommandLine.RunAsync(["generate", "--model", model, "--prompt", "a cat", "--execution-provider", "cpu", "--out", Path.Combine(root, "x.png")]));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
