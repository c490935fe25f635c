using System.Text.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion.Hires;
using SdServerless.GpuWorker.Diffusion.Imaging;
using Xunit.Abstractions;

namespace SdServerless.GpuWorker.Tests.Diffusion.Imaging;

/// <summary>
/// The hires fix's upscalers against PyTorch's <c>interpolate</c> and Pillow's <c>resize</c>
/// (tools/reference-fixtures/resizers.py): upscaling by whole and fractional factors, shrinking, and the same size.
/// </summary>
public sealed class ResizerFixtureTests(ITestOutputHelper output)
{
    private static readonly JsonElement Fixture = Load();

    /// <summary>Float32 sums in PyTorch's order; weights may round differently (its compiler may fuse multiply-adds): relative to the value, at least 1.</summary>
    private const float LatentTolerance = 2e-6f;

    public static TheoryData<string> LatentUpscalers() => [.. HiresUpscalerNames.All.Where(name => name.StartsWith(HiresUpscalerNames.Latent, StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(LatentUpscalers))]
    public void LatentUpscalerMatchesTorchInterpolate(string name)
    {
        var upscaler = HiresUpscalers.Resolve(name);
        var input = Fixture.GetProperty("latents");
        var shape = input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var latents = Floats(input.GetProperty("values"));
        var largest = 0f;
        foreach (var item in Fixture.GetProperty("latent_cases").EnumerateArray().Where(c => c.GetProperty("upscaler").GetString() == name))
        {
            var (height, width) = (item.GetProperty("height").GetInt32(), item.GetProperty("width").GetInt32());
            var expected = Floats(item.GetProperty("values"));
            var actual = TorchInterpolate.Resize(latents, shape[0] * shape[1], shape[2], shape[3], height, width, upscaler.LatentMode!.Value, upscaler.Antialias);
            Assert.Equal(expected.Length, actual.Length);
            var difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            var relative = expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1f, Math.Abs(e))).Max();
            Assert.True(relative <= LatentTolerance, $"{name} to {width}x{height}: largest difference {difference:G3} (relative {relative:G3})");
            largest = Math.Max(largest, difference);
        }

        output.WriteLine($"{name}: largest difference from torch {Fixture.GetProperty("torch").GetString()}: {largest:G3}");
    }

    [Theory]
    [InlineData("Lanczos")]
    [InlineData("Nearest")]
    public void PixelUpscalerMatchesPillowByteForByte(string name)
    {
        var upscaler = HiresUpscalers.Resolve(name);
        var image = Fixture.GetProperty("image");
        var (width, height) = (image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32());
        var rgb = Bytes(image.GetProperty("rgb"));
        var cases = 0;
        foreach (var item in Fixture.GetProperty("pixel_cases").EnumerateArray().Where(c => c.GetProperty("upscaler").GetString() == name))
        {
            var (outWidth, outHeight) = (item.GetProperty("width").GetInt32(), item.GetProperty("height").GetInt32());
            var actual = upscaler.PixelFilter == PixelResizeFilter.Lanczos
                ? PillowResize.Lanczos(rgb, width, height, outWidth, outHeight)
                : PillowResize.Nearest(rgb, width, height, outWidth, outHeight);
            var expected = Bytes(item.GetProperty("rgb"));
            var differing = expected.Zip(actual, (e, a) => e != a).Count(d => d);
            Assert.True(differing == 0, $"{name} to {outWidth}x{outHeight}: {differing} of {expected.Length} bytes differ from Pillow");
            cases++;
        }

        Assert.True(cases >= 4);
        output.WriteLine($"{name}: {cases} sizes byte-identical with Pillow {Fixture.GetProperty("pillow").GetString()}");
    }

    private static JsonElement Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Diffusion", "Imaging", "Fixtures", "resizers.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static float[] Floats(JsonElement bits) =>
        bits.EnumerateArray().Select(element => BitConverter.UInt32BitsToSingle(element.GetUInt32())).ToArray();

    private static byte[] Bytes(JsonElement values) => values.EnumerateArray().Select(element => element.GetByte()).ToArray();
}
