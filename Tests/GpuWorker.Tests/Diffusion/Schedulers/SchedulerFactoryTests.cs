using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

public sealed class SchedulerFactoryTests
{
    [Theory]
    [InlineData("Euler a", typeof(EulerAncestralDiscreteScheduler))]
    [InlineData("euler A", typeof(EulerAncestralDiscreteScheduler))]
    [InlineData("Euler", typeof(EulerDiscreteScheduler))]
    [InlineData("ddim", typeof(DdimScheduler))]
    [InlineData("DPM++ 2M", typeof(DpmSolverMultistepScheduler))]
    [InlineData("dpm++ 2m karras", typeof(DpmSolverMultistepScheduler))]
    [InlineData("LMS", typeof(LmsDiscreteScheduler))]
    [InlineData("Heun", typeof(SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion.KDiffusionScheduler))]
    [InlineData("dpm++ 2m sde", typeof(SdServerless.GpuWorker.Diffusion.Schedulers.KDiffusion.KDiffusionScheduler))]
    public void CreatesTheSchedulerForEachA1111NameIgnoringCase(string name, Type expected) =>
        Assert.IsType(expected, SchedulerFactory.Create(name, SchedulerConfig.StableDiffusion1));

    [Fact]
    public void KarrasNameSelectsKarrasSigmas()
    {
        var karras = SchedulerFactory.Create("DPM++ 2M Karras", SchedulerConfig.StableDiffusion1);
        var plain = SchedulerFactory.Create("DPM++ 2M", SchedulerConfig.StableDiffusion1);
        karras.SetTimesteps(20);
        plain.SetTimesteps(20);
        Assert.Equal(962f, karras.Timesteps[1]);
        Assert.NotEqual(karras.Timesteps[1], plain.Timesteps[1]);
    }

    [Fact]
    public void UnknownSamplerIsAnInputError()
    {
        var error = Assert.Throws<GenerationInputException>(() => SchedulerFactory.Create("DPM fast", SchedulerConfig.StableDiffusion1));
        Assert.Equal("unsupported_sampler", error.Code);
        Assert.Contains("DPM fast", error.Message);
    }

    [Fact]
    public void SchedulerConfigReadsDiffusersJson()
    {
        var config = SchedulerConfig.Parse("""
            {"_class_name": "EulerDiscreteScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
             "num_train_timesteps": 1000, "prediction_type": "v_prediction", "steps_offset": 1, "timestep_spacing": "trailing",
             "skip_prk_steps": true, "trained_betas": null}
            """);
        Assert.Equal("v_prediction", config.PredictionType);
        Assert.Equal("trailing", config.TimestepSpacing);
        Assert.Equal(1, config.StepsOffset);
        Assert.Null(config.SetAlphaToOne);
    }
}
