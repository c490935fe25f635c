using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Noise;

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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheSecondOrderUpdateMatchesTheDpmSolverPlusPlus2MFormulas(bool karras)
    {
        // A denoiser whose data prediction changes from step to step (D_i below), so the second-order term is not zero.
        // The reference follows Lu et al. 2022 (arXiv:2211.01095), Algorithm 2, written out here independently:
        //   alpha_i = 1 / sqrt(1 + s_i^2), sigma_i = s_i alpha_i, lambda_i = log(alpha_i / sigma_i), h_i = lambda_{i+1} - lambda_i
        //   first step:  x_{1} = (sigma_1 / sigma_0) x_0 - alpha_1 (e^{-h_0} - 1) D_0
        //   later steps: r = h_{i-1} / h_i, D = (1 + 1 / (2r)) D_i - (1 / (2r)) D_{i-1},
        //                x_{i+1} = (sigma_{i+1} / sigma_i) x_i - alpha_{i+1} (e^{-h_i} - 1) D
        const int steps = 6;
        var scheduler = new DpmSolverMultistepScheduler(Sd15, new DpmSolverOptions(UseKarrasSigmas: karras));
        scheduler.SetTimesteps(steps);
        double[] data = [0.9, -0.4, 0.25, 0.6, -0.1, 0.3];
        var s = scheduler.Sigmas;
        double Alpha(int i) => 1 / Math.Sqrt(1 + s[i] * s[i]);
        double Sigma(int i) => s[i] * Alpha(i);
        double Lambda(int i) => Math.Log(Alpha(i) / Sigma(i));

        var x = new float[] { 1.3f };
        var reference = new double[steps];
        var firstOrder = new double[steps];
        double expected = x[0], expectedFirstOrder = x[0];
        for (var i = 0; i < steps - 1; i++)
        {
            // eps the model outputs so that its data prediction is exactly D_i: x = alpha D + sigma eps
            var eps = (float)((x[0] - Alpha(i) * data[i]) / Sigma(i));
            scheduler.Step([eps], i, x, new LatentNoise([1], 1));

            var h = Lambda(i + 1) - Lambda(i);
            var d = data[i];
            if (i > 0)
            {
                var r = (Lambda(i) - Lambda(i - 1)) / h;
                d = (1 + 1 / (2 * r)) * data[i] - 1 / (2 * r) * data[i - 1];
            }

            expected = Sigma(i + 1) / Sigma(i) * expected - Alpha(i + 1) * (Math.Exp(-h) - 1) * d;
            expectedFirstOrder = Sigma(i + 1) / Sigma(i) * expectedFirstOrder - Alpha(i + 1) * (Math.Exp(-h) - 1) * data[i];
            reference[i] = expected;
            firstOrder[i] = expectedFirstOrder;
            Assert.Equal(expected, x[0], 1e-5);
        }

        // The second-order term moved the sample measurably away from the first-order (DDIM-like) path.
        Assert.True(Math.Abs(reference[steps - 2] - firstOrder[steps - 2]) > 1e-2, $"second order {reference[steps - 2]}, first order {firstOrder[steps - 2]}");

        // The last step goes to sigma 0 at first order (lower_order_final), which is the data prediction itself.
        var last = (float)((x[0] - Alpha(steps - 1) * data[steps - 1]) / Sigma(steps - 1));
        scheduler.Step([last], steps - 1, x, new LatentNoise([1], 1));
        Assert.Equal(data[steps - 1], x[0], 1e-5);
    }
}
