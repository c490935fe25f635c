using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

public sealed class DpmSolverMultistepSchedulerTests : SchedulerTestBase
{
    protected override IScheduler Create(SchedulerConfig config) => new DpmSolverMultistepScheduler(config, new DpmSolverOptions(UseKarrasSigmas: true));

    protected override float IdealOutput(IScheduler scheduler, int stepIndex, float x, float data)
    {
        // VP form: x = alpha * data + sigma_vp * eps
        var sigma = ((DpmSolverMultistepScheduler)scheduler).Sigmas[stepIndex];
        var alpha = 1 / Math.Sqrt(sigma * sigma + 1);
        return (float)((x - alpha * data) / (sigma * alpha));
    }

    [Fact]
    public void KarrasTimestepsMatchStableDiffusion15At20Steps()
    {
        var scheduler = new DpmSolverMultistepScheduler(Sd15, new DpmSolverOptions(UseKarrasSigmas: true));
        scheduler.SetTimesteps(20);
        Assert.Equal([999f, 962f, 921f, 876f, 827f, 772f, 710f, 640f, 561f, 474f], scheduler.Timesteps.Take(10));
        Assert.Equal([2f, 0f], scheduler.Timesteps.TakeLast(2));
        Assert.Equal(14.614653, scheduler.Sigmas[0], 1e-5);
        Assert.Equal(0.029168, scheduler.Sigmas[19], 1e-5);
        Assert.Equal(0.0, scheduler.Sigmas[20]);
    }

    [Fact]
    public void LinspaceTimestepsDropTheLastOfNPlusOne()
    {
        var scheduler = new DpmSolverMultistepScheduler(Sd15, new DpmSolverOptions(UseKarrasSigmas: false));
        scheduler.SetTimesteps(4);
        Assert.Equal([999f, 749f, 500f, 250f], scheduler.Timesteps);
    }

    [Fact]
    public void NonKarrasFullLoopAlsoReachesTheCleanSample()
    {
        var scheduler = new DpmSolverMultistepScheduler(Sd15, new DpmSolverOptions(UseKarrasSigmas: false));
        scheduler.SetTimesteps(15);
        float[] data = [0.3f, -0.7f];
        float[] sample = [0.3f, -0.7f];
        scheduler.AddNoise(sample, [1f, -1f], 0);
        var output = new float[2];
        for (var step = 0; step < 15; step++)
        {
            for (var i = 0; i < 2; i++)
            {
                output[i] = IdealOutput(scheduler, step, sample[i], data[i]);
            }

            scheduler.Step(output, step, sample, new LatentNoise([1], 2));
        }

        Assert.Equal(data[0], sample[0], 3);
        Assert.Equal(data[1], sample[1], 3);
    }
}
