using BenchmarkDotNet.Attributes;
using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.Diffusion.Benchmarks;

/// <summary>
/// The engine's own work per denoising step, batch 1 under guidance (UNet batch 2), for SD 1.x at 512x512 and SDXL at
/// 1024x1024: scale, CFG expand, tensor writes and reads, guidance, scheduler step, progress. Everything but the UNet run
/// itself. Targets: at most 1 ms, and no allocation per step but the input names the binding encodes when the step's
/// sample and timestep are bound again (about 72 B). (The real loop's count is also a test: DenoiseStepAllocationTests.)
/// </summary>
[MemoryDiagnoser]
public class StepOverheadBenchmarks
{
    private const int Steps = 20;
    private static readonly Action NoUnetRun = () => { };
    private DenoiseStepRig rig = null!;
    private DenoiseProgress[] reports = null!;
    private int step;

    [Params(ModelKind.Sd15At512, ModelKind.SdxlAt1024)]
    public ModelKind Model { get; set; }

    [Params("Euler a", "Euler", "DDIM", "DPM++ 2M Karras", "LMS")]
    public string Sampler { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        rig = new DenoiseStepRig(Model, Sampler, Steps);
        reports = Enumerable.Range(1, Steps).Select(i => new DenoiseProgress(i, Steps)).ToArray();
    }

    [Benchmark(Description = "engine overhead per step (no UNet run)")]
    public void StepOverhead()
    {
        var i = step++ % Steps;
        if (i == 0)
        {
            rig.Restart();
        }
        rig.Step(i, NoUnetRun);
        _ = reports[i];
    }

    [GlobalCleanup]
    public void Cleanup() => rig.Dispose();
}
