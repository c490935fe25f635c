using BenchmarkDotNet.Attributes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Schedulers;

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
    private TinyModel model = null!;
    private IScheduler scheduler = null!;
    private UnetBinding unet = null!;
    private LatentNoise noise = null!;
    private float[] latents = null!;
    private float[] modelInput = null!;
    private float[] prediction = null!;
    private float[] guided = null!;
    private int perImage;
    private int step;

    [Params(ModelKind.Sd15At512, ModelKind.SdxlAt1024)]
    public ModelKind Model { get; set; }

    [Params("Euler a", "Euler")]
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
    }

    [Benchmark(Baseline = true, Description = "the 5 ms stand-in UNet run alone")]
    public void StandInUnetAlone() => StandInUnet();

    [Benchmark(Description = "step with the 5 ms stand-in UNet run (overhead = mean - baseline)")]
    public void StepBesideStandInUnet()
    {
        var i = step++ % Steps;
        if (i == 0)
        {
            scheduler.SetTimesteps(Steps);
            noise = new LatentNoise([step], perImage);
            noise.Fill(latents);
        }

        scheduler.ScaleModelInput(latents, modelInput.AsSpan(0, perImage), i);
        Guidance.Duplicate(modelInput);
        unet.Sample.Write(modelInput);
        unet.Timestep.Fill(scheduler.Timesteps[i]);
        StandInUnet();

        unet.Output.Read(prediction);
        Guidance.Apply(prediction, 7f, guided);
        scheduler.Step(guided, i, latents, noise);
    }

    private static void StandInUnet() => Thread.Sleep(TimeSpan.FromMilliseconds(StandInUnetMilliseconds));

    [GlobalCleanup]
    public void Cleanup() => model.Dispose();
}
