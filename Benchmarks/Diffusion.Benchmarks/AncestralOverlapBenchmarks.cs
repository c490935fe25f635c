using BenchmarkDotNet.Attributes;

namespace SdServerless.Diffusion.Benchmarks;

/// <summary>
/// One denoising step with a 5 ms stand-in for the UNet run (the loop thread sleeps, as it waits on the GPU inside ONNX
/// Runtime): Euler a draws the next step's noise on the thread pool meanwhile. The engine's overhead per step is the
/// step's mean minus the stand-in's own mean (the baseline, which includes the sleep's overshoot). A real SDXL UNet step
/// takes hundreds of milliseconds on a GPU, so 5 ms is a conservative stand-in.
/// </summary>
[MemoryDiagnoser]
public class AncestralOverlapBenchmarks
{
    public const double StandInUnetMilliseconds = 5;
    private const int Steps = 20;
    private static readonly Action StandInUnetRun = StandInUnet;
    private DenoiseStepRig rig = null!;
    private int step;

    [Params(ModelKind.Sd15At512, ModelKind.SdxlAt1024)]
    public ModelKind Model { get; set; }

    [Params("Euler a", "Euler")]
    public string Sampler { get; set; } = "";

    [GlobalSetup]
    public void Setup() => rig = new DenoiseStepRig(Model, Sampler, Steps);

    [Benchmark(Baseline = true, Description = "the 5 ms stand-in UNet run alone")]
    public void StandInUnetAlone() => StandInUnet();

    [Benchmark(Description = "step with the 5 ms stand-in UNet run (overhead = mean - baseline)")]
    public void StepBesideStandInUnet()
    {
        var i = step++ % Steps;
        if (i == 0)
        {
            rig.Restart(seed: step);
        }
        rig.Step(i, StandInUnetRun);
    }

    private static void StandInUnet() => Thread.Sleep(TimeSpan.FromMilliseconds(StandInUnetMilliseconds));

    [GlobalCleanup]
    public void Cleanup() => rig.Dispose();
}
