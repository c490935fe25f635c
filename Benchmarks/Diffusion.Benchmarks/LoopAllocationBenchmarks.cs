using BenchmarkDotNet.Attributes;
using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.Diffusion.Benchmarks;

/// <summary>
/// The real pipeline at 64x64, 20 steps, with the bytes its own denoising loop allocated after the first step (as the
/// pipeline counts them, <see cref="StableDiffusionPipeline.LastLoop"/>) divided by the steps, reported beside the run's
/// time and total allocation. SD 1.x and SDXL side by side.
/// </summary>
[MemoryDiagnoser]
public class LoopAllocationBenchmarks
{
    private const int Steps = 20;
    private TinyModel model = null!;

    [Params(ModelKind.Sd15At512, ModelKind.SdxlAt1024)]
    public ModelKind Model { get; set; }

    /// <summary>Bytes the loop allocated per step in the last iteration; BenchmarkDotNet prints it in the log after the run.</summary>
    public static long LastBytesPerStep { get; private set; }

    [GlobalSetup]
    public void Setup() => model = new TinyModel(Model == ModelKind.SdxlAt1024 ? "sdxl" : null);

    [Benchmark(Description = "real pipeline 64x64, 20 steps Euler a, CFG 7")]
    public long RealLoop()
    {
        model.Pipeline.Run(new GenerationRequest("a photo of a cat", "blurry", 64, 64, Steps, 7f, 42, "Euler a", 1, 0, null), null, CancellationToken.None);
        var loop = model.Pipeline.LastLoop;
        LastBytesPerStep = loop.BytesAllocatedAfterFirstStep / Math.Max(1, loop.MeasuredSteps);
        return LastBytesPerStep;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// {Model}: the denoising loop allocated {LastBytesPerStep} B per step after its first");
        model.Dispose();
    }
}
