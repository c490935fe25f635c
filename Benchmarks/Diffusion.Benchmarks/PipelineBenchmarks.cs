using BenchmarkDotNet.Attributes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Imaging;
using SdServerless.GpuWorker.Diffusion.Tokenization;
using SdServerless.GpuWorker.Diffusion.TinyModels;

namespace SdServerless.Diffusion.Benchmarks;

/// <summary>
/// Tokenizer, PNG encode at 512x512, and the whole tiny-model pipeline per image: SD 1.x at 64x64 and 512x512, SDXL at
/// 64x64 and 1024x1024 (the engine's work around tiny graphs: prompt encoding through two encoders, latents, decode, PNG).
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private TinyModel model = null!;
    private TinyModel sdxl = null!;
    private ClipTokenizer tokenizer = null!;
    private byte[] rgb = null!;

    [GlobalSetup]
    public void Setup()
    {
        model = new TinyModel();
        sdxl = new TinyModel("sdxl");
        var vocabulary = TinyVocabulary.Create();
        tokenizer = new ClipTokenizer(vocabulary.Tokens, vocabulary.Merges);
        rgb = new byte[512 * 512 * 3];
        var random = new Random(3);
        random.NextBytes(rgb);
        for (var i = 0; i < rgb.Length; i++)
        {
            // A smooth image with some noise, closer to a decoded photo than pure noise.
            rgb[i] = (byte)((i / 3 % 512) / 2 + (rgb[i] & 0x0F));
        }
    }

    [Benchmark(Description = "tokenize a 20-word prompt (uncached words)")]
    public int Tokenize() => tokenizer.Encode($"a high quality detailed photo of a red cat {Guid.NewGuid():N} riding a horse in the forest at sunset, landscape").Ids.Length;

    [Benchmark(Description = "PNG encode 512x512 with parameters")]
    public int EncodePng() => PngEncoder.Encode(rgb, 512, 512, new Dictionary<string, string> { ["parameters"] = "a cat\nSteps: 20" }).Length;

    [Benchmark(Description = "tiny pipeline, 64x64, 20 steps Euler a, CFG 7")]
    public int Pipeline64() => Generate(64);

    [Benchmark(Description = "tiny pipeline, 512x512, 20 steps Euler a, CFG 7")]
    public int Pipeline512() => Generate(512);

    [Benchmark(Description = "tiny SDXL pipeline, 64x64, 20 steps Euler a, CFG 7")]
    public int PipelineSdxl64() => Generate(64, sdxl);

    [Benchmark(Description = "tiny SDXL pipeline, 1024x1024, 20 steps Euler a, CFG 7")]
    public int PipelineSdxl1024() => Generate(1024, sdxl);

    [GlobalCleanup]
    public void Cleanup()
    {
        model.Dispose();
        sdxl.Dispose();
    }

    private int Generate(int size) => Generate(size, model);

    private static int Generate(int size, TinyModel model) =>
        model.Pipeline.Run(new GenerationRequest("a photo of a cat", "blurry", size, size, 20, 7f, 42, "Euler a", 1, 0f, null), null, CancellationToken.None).Images[0].Png.Length;
}
