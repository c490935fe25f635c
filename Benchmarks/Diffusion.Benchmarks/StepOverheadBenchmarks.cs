using BenchmarkDotNet.Attributes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.Diffusion.Benchmarks;

/// <summary>
/// The engine's own work per denoising step at 64x64 latents (512x512 images), batch 1 under guidance (UNet batch 2):
/// scale, CFG expand, tensor writes and reads, guidance, scheduler step, progress. Everything but the UNet run itself.
/// </summary>
[MemoryDiagnoser]
public class StepOverheadBenchmarks
{
    private const int Steps = 20;
    private const int PerImage = 4 * 64 * 64;
    private TinyModel model = null!;
    private IScheduler scheduler = null!;
    private UnetBinding unet = null!;
    private LatentNoise noise = null!;
    private float[] latents = null!;
    private float[] modelInput = null!;
    private float[] prediction = null!;
    private float[] guided = null!;
    private DenoiseProgress[] reports = null!;
    private int step;

    [Params("Euler a", "Euler", "DDIM", "DPM++ 2M Karras", "LMS")]
    public string Sampler { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        model = new TinyModel();
        var sd = model.Pipeline.Model;
        scheduler = SchedulerFactory.Create(Sampler, sd.SchedulerConfig);
        scheduler.SetTimesteps(Steps);
        unet = sd.Unet.Bind(2, 64, 64, 77, sd.TextEncoder.HiddenSize);
        noise = new LatentNoise([1L], PerImage);
        latents = new float[PerImage];
        noise.Fill(latents);
        modelInput = new float[2 * PerImage];
        prediction = new float[2 * PerImage];
        guided = new float[PerImage];
        reports = Enumerable.Range(1, Steps).Select(i => new DenoiseProgress(i, Steps)).ToArray();
    }

    [Benchmark(Description = "engine overhead per step (no UNet run)")]
    public void StepOverhead()
    {
        var i = step++ % (Steps - 1);
        if (i == 0)
        {
            scheduler.SetTimesteps(Steps);
            noise.Fill(latents);
        }

        scheduler.ScaleModelInput(latents, modelInput.AsSpan(0, PerImage), i);
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
