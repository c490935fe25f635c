using SdServerless.GpuWorker.Diffusion.Schedulers;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

public sealed class LmsDiscreteSchedulerTests : SchedulerTestBase
{
    protected override IScheduler Create(SchedulerConfig config) => new LmsDiscreteScheduler(config);

    protected override float IdealOutput(IScheduler scheduler, int stepIndex, float x, float data) =>
        (x - data) / (float)((LmsDiscreteScheduler)scheduler).Sigmas[stepIndex];

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 10)]
    public void CoefficientsSumToTheStepInSigma(int order, int stepIndex)
    {
        // Lagrange basis polynomials sum to 1, so their integrals sum to sigma_{i+1} - sigma_i.
        var scheduler = new LmsDiscreteScheduler(Sd15);
        scheduler.SetTimesteps(20);
        var sum = Enumerable.Range(0, order).Sum(k => scheduler.LmsCoefficient(order, stepIndex, k));
        Assert.Equal(scheduler.Sigmas[stepIndex + 1] - scheduler.Sigmas[stepIndex], sum, 9);
    }

    [Fact]
    public void FirstOrderCoefficientIsTheEulerStep()
    {
        var scheduler = new LmsDiscreteScheduler(Sd15);
        scheduler.SetTimesteps(20);
        Assert.Equal(10.74685 - 14.61465, scheduler.LmsCoefficient(1, 0, 0), 4);
    }

    [Fact]
    public void SigmasMatchEuler()
    {
        var lms = new LmsDiscreteScheduler(Sd15);
        var euler = new EulerDiscreteScheduler(Sd15);
        lms.SetTimesteps(20);
        euler.SetTimesteps(20);
        Assert.Equal(euler.Sigmas, lms.Sigmas);
        Assert.Equal(euler.InitNoiseSigma, lms.InitNoiseSigma);
    }
}
