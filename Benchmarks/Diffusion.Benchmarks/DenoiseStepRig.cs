using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Noise;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.Diffusion.Benchmarks;

/// <summary>
/// One step of the pipeline's denoising loop, batch 1 under guidance (UNet batch 2) on a tiny model of the benchmark's
/// shape, with the UNet run left to the caller: the setup and loop body the step benchmarks share. The pipeline keeps
/// its loop body inline (it is the page a reader checks against diffusers), so a benchmark that leaves the UNet out
/// cannot call it; this is the one copy of that body, and it must follow the pipeline's.
/// </summary>
public sealed class DenoiseStepRig : IDisposable
{
    private readonly TinyModel _model;
    private readonly IScheduler _scheduler;
    private readonly UnetBinding _unet;
    private readonly int _perImage;
    private readonly float[] _latents;
    private readonly float[] _modelInput;
    private readonly float[] _prediction;
    private readonly float[] _guided;
    private LatentNoise _noise;

    public DenoiseStepRig(ModelKind kind, string sampler, int steps)
    {
        Steps = steps;
        var sdxl = kind == ModelKind.SdxlAt1024;
        var latentSize = sdxl ? 128 : 64;
        _model = new TinyModel(sdxl ? "sdxl" : null);
        var loaded = _model.Pipeline.Model;
        _scheduler = SchedulerFactory.Create(sampler, loaded.SchedulerConfig);
        _scheduler.SetTimesteps(steps);
        _unet = loaded.Unet.Bind(2, latentSize, latentSize, 77, loaded.ContextSize);
        _perImage = 4 * latentSize * latentSize;
        _noise = new LatentNoise([1L], _perImage);
        _latents = new float[_perImage];
        _noise.Fill(_latents);
        _modelInput = new float[2 * _perImage];
        _prediction = new float[2 * _perImage];
        _guided = new float[_perImage];
    }

    public int Steps { get; }

    /// <summary>Starts the loop over: timesteps set again and the latents drawn again, from the same noise or from a new seed.</summary>
    public void Restart(long? seed = null)
    {
        _scheduler.SetTimesteps(Steps);
        if (seed is { } value)
        {
            _noise = new LatentNoise([value], _perImage);
        }
        _noise.Fill(_latents);
    }

    /// <summary>Step <paramref name="i"/>: scale → CFG expand → UNet inputs → <paramref name="unetRun"/> → UNet output → guidance → scheduler step.</summary>
    public void Step(int i, Action unetRun)
    {
        // Copied from StableDiffusionPipeline's denoising loop (guided, without progress and cancellation).
        _scheduler.ScaleModelInput(_latents, _modelInput.AsSpan(0, _perImage), i);
        Guidance.Duplicate(_modelInput);
        _unet.Sample.Write(_modelInput);
        _unet.Timestep.Fill(_scheduler.Timesteps[i]);
        unetRun();
        _unet.Output.Read(_prediction);
        Guidance.Apply(_prediction, 7f, _guided);
        _scheduler.Step(_guided, i, _latents, _noise);
    }

    public void Dispose() => _model.Dispose();
}
