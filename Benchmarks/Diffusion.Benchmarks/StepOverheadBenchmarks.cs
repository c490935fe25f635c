using BenchmarkDotNet.Attributes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Schedulers;

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
    private TinyModel model = null!;
    private IScheduler scheduler = null!;
    private UnetBinding unet = null!;
    private LatentNoise noise = null!;
    private float[] latents = null!;
    private float[] modelInput = null!;
    private float[] prediction = null!;
    private float[] guided = null!;
    private DenoiseProgress[] reports = null!;
    private int perImage;
    private int step;

    [Params(ModelKind.Sd15At512, ModelKind.SdxlAt1024)]
    public ModelKind Model { get; set; }

    [Params("Euler a", "Euler", "DDIM", "DPM++ 2M Karras", "LMS")]
    public string Sampler { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var sdxl = Model == ModelKind.SdxlAt1024;
        var latentSize = sdxl ? 128 : 64;
        model = new TinyModel(sdxl ? "sdxl" : null);
        var loaded = model.Pipeline.Model;
        scheduler = SchedulerFactory.Create(Sampler, loaded.SchedulerConfig);
        scheduler.SetTimesteps(Steps);
        unet = loaded.Unet.Bind(2, latentSize, latentSize, 77, loaded.ContextSize);
        perImage = 4 * latentSize * latentSize;
        noise = new LatentNoise([1L], perImage);
        latents = new float[perImage];
        noise.Fill(latents);
        modelInput = new float[2 * perImage];
        prediction = new float[2 * perImage];
        guided = new float[perImage];
        reports = Enumerable.Range(1, Steps).Select(i => new DenoiseProgress(i, Steps)).ToArray();
    }

    [Benchmark(Description = "engine overhead per step (no UNet run)")]
    public void StepOverhead()
    {
        var i = step++ % Steps;
        if (i == 0)
        {
            scheduler.SetTimesteps(Steps);
            noise.Fill(latents);
        }

        scheduler.ScaleModelInput(latents, modelInput.AsSpan(0, perImage), i);
        Guidance.Duplicate(modelInput);
        unet.Sample.Write(modelInput);
        unet.Timestep.Fill(scheduler.Timesteps[i]);
        unet.Output.Read(prediction);
        Guidance.Apply(prediction, 7f, guided);
        scheduler.Step(guided, i, latents, noise);
        _ = reports[i];
    }

    [GlobalCleanup]
    public void Cleanup() => model.Dispose();
}
