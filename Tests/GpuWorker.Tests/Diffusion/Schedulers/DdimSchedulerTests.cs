using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

public sealed class DdimSchedulerTests : SchedulerTestBase
{
    private static readonly NoiseSchedule Schedule = new(Sd15);

    protected override IScheduler Create(SchedulerConfig config) => new DdimScheduler(config);

    protected override float IdealOutput(IScheduler scheduler, int stepIndex, float x, float data)
    {
        var alpha = Schedule.AlphasCumprod[(int)scheduler.Timesteps[stepIndex]];
        return (float)((x - Math.Sqrt(alpha) * data) / Math.Sqrt(1 - alpha));
    }

    // set_alpha_to_one=false: the last step lands on alpha-bar_0, not on the clean sample itself.
    protected override float ExpectedFinal(IScheduler scheduler, float data, float noise)
    {
        var alpha = Schedule.AlphasCumprod[0];
        return (float)(Math.Sqrt(alpha) * data + Math.Sqrt(1 - alpha) * noise);
    }

    [Fact]
    public void LeadingSpacingWithOffsetOneGives981DownTo1()
    {
        var scheduler = new DdimScheduler(Sd15);
        scheduler.SetTimesteps(50);
        var expected = Enumerable.Range(0, 50).Select(i => (float)(981 - 20 * i)).ToArray();
        Assert.Equal(expected, scheduler.Timesteps);
        Assert.Equal(1f, scheduler.InitNoiseSigma);
    }

    [Fact]
    public void LinspaceSpacingRoundsFrom999To0()
    {
        var scheduler = new DdimScheduler(Sd15 with { TimestepSpacing = "linspace" });
        scheduler.SetTimesteps(4);
        Assert.Equal([999f, 666f, 333f, 0f], scheduler.Timesteps);
    }

    [Fact]
    public void ModelInputIsNotScaled()
    {
        var scheduler = new DdimScheduler(Sd15);
        scheduler.SetTimesteps(10);
        var scaled = new float[2];
        scheduler.ScaleModelInput([1.5f, -2f], scaled, 3);
        Assert.Equal([1.5f, -2f], scaled);
    }
}
