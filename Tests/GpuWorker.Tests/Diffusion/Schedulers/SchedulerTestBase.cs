using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Noise;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

/// <summary>
/// Checks every scheduler shares. The full loop runs an ideal denoiser (it knows the clean sample) from pure noise with
/// a fixed seed: every sampler must land on the clean sample (DDIM: on its last training timestep's mix).
/// </summary>
public abstract class SchedulerTestBase
{
    protected const int Elements = 2 * 4 * 8 * 8;

    protected static SchedulerConfig Sd15 => SchedulerConfig.StableDiffusion1;

    protected abstract IScheduler Create(SchedulerConfig config);

    /// <summary>What an ideal model outputs at <paramref name="stepIndex"/> for sample <paramref name="x"/> whose clean value is <paramref name="data"/>.</summary>
    protected abstract float IdealOutput(IScheduler scheduler, int stepIndex, float x, float data);

    /// <summary>The value the loop must end at, given the clean value and the initial noise.</summary>
    protected virtual float ExpectedFinal(IScheduler scheduler, float data, float noise) => data;

    [Fact]
    public void StepBeforeSetTimestepsThrows()
    {
        var scheduler = Create(Sd15);
        var sample = new float[Elements];
        Assert.Throws<InvalidOperationException>(() => scheduler.Step(new float[Elements], 0, sample, Noise()));
        Assert.Throws<InvalidOperationException>(() => scheduler.ScaleModelInput(sample, new float[Elements], 0));
    }

    [Fact]
    public void StepKeepsTheSampleShapeAndWritesFiniteValues()
    {
        var scheduler = Create(Sd15);
        scheduler.SetTimesteps(10);
        var sample = new float[Elements];
        Noise().Fill(sample);
        var scaled = new float[Elements];
        scheduler.ScaleModelInput(sample, scaled, 0);
        scheduler.Step(scaled, 0, sample, Noise());
        Assert.Equal(Elements, sample.Length);
        Assert.All(sample, value => Assert.True(float.IsFinite(value)));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(25)]
    public void FullLoopWithAnIdealDenoiserReachesTheCleanSample(int steps)
    {
        var scheduler = Create(Sd15);
        scheduler.SetTimesteps(steps);
        var data = new float[Elements];
        var initialNoise = new float[Elements];
        var random = new GaussianRandom(7);
        for (var i = 0; i < Elements; i++)
        {
            data[i] = 0.5f * random.NextGaussian();
        }

        Noise().Fill(initialNoise);
        var sample = new float[Elements];
        for (var i = 0; i < Elements; i++)
        {
            sample[i] = initialNoise[i] * scheduler.InitNoiseSigma;
        }

        // Start on the trajectory: noise the clean sample to the first step's level.
        data.CopyTo(sample, 0);
        scheduler.AddNoise(sample, initialNoise, 0);

        var output = new float[Elements];
        var noise = Noise();
        for (var step = 0; step < scheduler.Timesteps.Count; step++)
        {
            for (var i = 0; i < Elements; i++)
            {
                output[i] = IdealOutput(scheduler, step, sample[i], data[i]);
            }

            scheduler.Step(output, step, sample, noise);
        }

        for (var i = 0; i < Elements; i++)
        {
            Assert.Equal(ExpectedFinal(scheduler, data[i], initialNoise[i]), sample[i], 2e-3f);
        }
    }

    [Fact]
    public void TimestepsDecreaseAndStayWithinTraining()
    {
        var scheduler = Create(Sd15);
        scheduler.SetTimesteps(30);
        Assert.Equal(30, scheduler.Timesteps.Count);
        for (var i = 1; i < scheduler.Timesteps.Count; i++)
        {
            Assert.True(scheduler.Timesteps[i] < scheduler.Timesteps[i - 1], $"timestep {i} does not decrease");
        }

        Assert.InRange(scheduler.Timesteps[0], 0f, 999f);
        Assert.InRange(scheduler.Timesteps[^1], 0f, 999f);
    }

    protected static LatentNoise Noise() => new([1234, 1235], Elements / 2);
}
