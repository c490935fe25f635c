using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Noise;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

public sealed class EulerAncestralDiscreteSchedulerTests : SchedulerTestBase
{
    protected override IScheduler Create(SchedulerConfig config) => new EulerAncestralDiscreteScheduler(config);

    protected override float IdealOutput(IScheduler scheduler, int stepIndex, float x, float data) =>
        (x - data) / (float)((EulerAncestralDiscreteScheduler)scheduler).Sigmas[stepIndex];

    [Fact]
    public void AncestralSigmasAtStepZeroMatchStableDiffusion15()
    {
        var scheduler = new EulerAncestralDiscreteScheduler(Sd15);
        scheduler.SetTimesteps(20);
        var (up, down) = scheduler.AncestralSigmas(0);
        Assert.Equal(7.28303, up, 1e-5);
        Assert.Equal(7.90267, down, 1e-5);
        Assert.Equal(14.61465, scheduler.Sigmas[0], 1e-5);
    }

    [Fact]
    public void TheSameSeedsGiveTheSameStepAndOtherSeedsDoNot()
    {
        float[] Run(long seed)
        {
            var scheduler = new EulerAncestralDiscreteScheduler(Sd15);
            scheduler.SetTimesteps(20);
            var sample = Enumerable.Repeat(1f, 16).ToArray();
            scheduler.Step(new float[16], 0, sample, new LatentNoise([seed], 16));
            return sample;
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }
}
