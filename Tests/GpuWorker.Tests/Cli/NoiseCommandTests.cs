using System.Security.Cryptography;
using System.Text.Json;
using SdServerless.GpuWorker.Cli;
using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Tests.Diffusion.Noise;

namespace SdServerless.GpuWorker.Tests.Cli;

/// <summary><c>noise</c> writes what <c>torch.randn</c> writes, byte for byte.</summary>
public sealed class NoiseCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sd-noise-").FullName;

    [Fact]
    public async Task CpuNoiseForSeed42At512IsTorchRandnByteForByte()
    {
        var file = Path.Combine(root, "noise.bin");
        Assert.Equal(0, await CommandLine.RunAsync(["noise", "--seed", "42", "--width", "512", "--height", "512", "--rng", "cpu", "--out", file]));
        var expected = NoiseFixtures.Load("cpu.json").GetProperty("long_draws").EnumerateArray().First(draw => draw.GetProperty("seed").GetInt32() == 42);
        Assert.Equal(expected.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
    }

    [Fact]
    public async Task A16ChannelWholeBatchIsComfyUIsPrepareNoise()
    {
        var file = Path.Combine(root, "batch.bin");
        Assert.Equal(0, await CommandLine.RunAsync(["noise", "--seed", "99", "--width", "64", "--height", "64", "--channels", "16", "--batch", "2", "--layout", "whole_batch", "--out", file]));
        var expected = NoiseFixtures.Load("cpu.json").GetProperty("comfyui").EnumerateArray().First(batch => batch.GetProperty("shape")[1].GetInt32() == 16);
        Assert.Equal(expected.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
    }

    [Fact]
    public async Task NvNoiseIsTheNvSourcesFirstDrawPerImage()
    {
        var file = Path.Combine(root, "nv.bin");
        Assert.Equal(0, await CommandLine.RunAsync(["noise", "--seed", "7", "--width", "64", "--height", "128", "--rng", "nv", "--batch", "2", "--out", file]));
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.Equal(2 * 4 * 16 * 8 * sizeof(float), bytes.Length);
        var expected = new float[4 * 16 * 8];
        new PhiloxNvGenerator(8).Fill(expected);
        var secondImage = new float[expected.Length];
        Buffer.BlockCopy(bytes, expected.Length * sizeof(float), secondImage, 0, expected.Length * sizeof(float));
        Assert.Equal(expected, secondImage);
    }

    [Fact]
    public async Task ASizeThatIsNotAMultipleOf8FailsWithExitCode2() =>
        Assert.Equal(2, await CommandLine.RunAsync(["noise", "--seed", "1", "--width", "60", "--height", "64", "--out", Path.Combine(root, "x.bin")]));

    public void Dispose() => Directory.Delete(root, recursive: true);
}
