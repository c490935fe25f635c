using Microsoft.ML.OnnxRuntime;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.GpuWorker.Tests.Diffusion.Pipeline;

/// <summary>
/// The denoising loop body (scale, CFG expand, bound UNet run, guidance, scheduler step) allocates no managed memory
/// once warmed up, for every scheduler.
/// </summary>
public sealed class DenoiseStepAllocationTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Theory]
    [InlineData("Euler a")]
    [InlineData("Euler")]
    [InlineData("DDIM")]
    [InlineData("DPM++ 2M Karras")]
    [InlineData("LMS")]
    public void TheStepLoopAllocatesNothingAfterWarmUp(string sampler)
    {
        const int steps = 12;
        var model = fixture.Pipeline.Model;
        var scheduler = SchedulerFactory.Create(sampler, model.SchedulerConfig);
        scheduler.SetTimesteps(steps);
        var perImage = 4 * 8 * 8;
        var noise = new LatentNoise([1L, 2L], perImage);
        var latents = new float[2 * perImage];
        noise.Fill(latents);
        var unet = model.Unet.Bind(4, 8, 8, 77, model.TextEncoder.HiddenSize);
        var modelInput = new float[4 * perImage];
        var prediction = new float[4 * perImage];
        var guided = new float[2 * perImage];
        var reports = Enumerable.Range(1, steps).Select(step => new DenoiseProgress(step, steps)).ToArray();
        var progress = new CountingProgress();
        using var runOptions = new RunOptions();

        void Step(int i)
        {
            scheduler.ScaleModelInput(latents, modelInput.AsSpan(0, latents.Length), i);
            Guidance.Duplicate(modelInput);
            unet.Sample.Write(modelInput);
            unet.Timestep.Fill(scheduler.Timesteps[i]);
            unet.Run(runOptions);
            unet.Output.Read(prediction);
            Guidance.Apply(prediction, 7f, guided);
            scheduler.Step(guided, i, latents, noise);
            progress.Report(reports[i]);
        }

        Step(0);
        Step(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 2; i < steps; i++)
        {
            Step(i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(steps, progress.Count);
    }

    private sealed class CountingProgress : IProgress<DenoiseProgress>
    {
        public int Count { get; private set; }

        public void Report(DenoiseProgress value) => Count++;
    }
}
