using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

public sealed class EulerDiscreteSchedulerTests : SchedulerTestBase
{
    protected override IScheduler Create(SchedulerConfig config) => new EulerDiscreteScheduler(config);

    protected override float IdealOutput(IScheduler scheduler, int stepIndex, float x, float data) =>
        (x - data) / (float)((EulerDiscreteScheduler)scheduler).Sigmas[stepIndex];

    [Fact]
    public void SigmasMatchStableDiffusion15At20LinspaceSteps()
    {
        var scheduler = new EulerDiscreteScheduler(Sd15);
        scheduler.SetTimesteps(20);
        Assert.Equal(14.61465, scheduler.Sigmas[0], 1e-5);
        Assert.Equal(10.74685, scheduler.Sigmas[1], 1e-5);
        Assert.Equal(8.08154, scheduler.Sigmas[2], 1e-5);
        Assert.Equal(0.0, scheduler.Sigmas[20]);
        Assert.Equal(999f, scheduler.Timesteps[0]);
        Assert.Equal(0f, scheduler.Timesteps[19]);
        Assert.Equal(14.61465f, scheduler.InitNoiseSigma, 1e-5f);
    }

    [Fact]
    public void TrainingSigmaRangeMatchesStableDiffusion15()
    {
        var schedule = new NoiseSchedule(Sd15);
        Assert.Equal(14.614653, schedule.SigmaMax, 1e-5);
        Assert.Equal(0.029168, schedule.SigmaMin, 1e-5);
    }

    [Fact]
    public void InputScaleAtStepZeroIs0068265()
    {
        var scheduler = new EulerDiscreteScheduler(Sd15);
        scheduler.SetTimesteps(20);
        Assert.Equal(0.068265f, scheduler.InputScale(0), 5);
        var scaled = new float[1];
        scheduler.ScaleModelInput([2f], scaled, 0);
        Assert.Equal(2 * 0.068265f, scaled[0], 5);
    }

    [Fact]
    public void LeadingSpacingUsesStepsOffsetAndSqrtInitNoiseSigma()
    {
        var scheduler = new EulerDiscreteScheduler(Sd15 with { TimestepSpacing = "leading" });
        scheduler.SetTimesteps(50);
        Assert.Equal(981f, scheduler.Timesteps[0]);
        Assert.Equal(1f, scheduler.Timesteps[^1]);
        var sigma = scheduler.Sigmas[0];
        Assert.Equal((float)Math.Sqrt(sigma * sigma + 1), scheduler.InitNoiseSigma, 4);
    }

    [Fact]
    public void TrailingSpacingStartsAtTheLastTrainingTimestep()
    {
        var scheduler = new EulerDiscreteScheduler(Sd15 with { TimestepSpacing = "trailing" });
        scheduler.SetTimesteps(4);
        Assert.Equal([999f, 749f, 499f, 249f], scheduler.Timesteps);
    }

    [Fact]
    public void UnknownSpacingIsRefused()
    {
        var scheduler = new EulerDiscreteScheduler(Sd15 with { TimestepSpacing = "cosine" });
        Assert.Throws<ArgumentException>(() => scheduler.SetTimesteps(10));
    }
}
