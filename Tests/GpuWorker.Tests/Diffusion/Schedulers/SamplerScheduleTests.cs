using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

/// <summary>A1111 1.9+'s sampler_name + scheduler, and the older combined names.</summary>
public sealed class SamplerScheduleTests
{
    [Theory]
    [InlineData("DPM++ 2M", null, "DPM++ 2M", "Karras")]
    [InlineData("DPM++ 2M", "Automatic", "DPM++ 2M", "Karras")]
    [InlineData("DPM++ 2M", "Uniform", "DPM++ 2M", "Uniform")]
    [InlineData("dpm++ 2m karras", null, "DPM++ 2M", "Karras")]
    [InlineData("DPM++ 2M Karras", "uniform", "DPM++ 2M", "Uniform")]
    [InlineData("Euler a", null, "Euler a", "Uniform")]
    [InlineData("Euler", "karras", "Euler", "Karras")]
    [InlineData("LMS Karras", "Automatic", "LMS", "Karras")]
    [InlineData("DDIM", null, "DDIM", "Uniform")]
    public void ResolvesAsA1111Does(string sampler, string? scheduler, string expectedSampler, string expectedSchedule) =>
        Assert.Equal(new SamplerSchedule(expectedSampler, expectedSchedule), SamplerSchedule.Resolve(sampler, scheduler));

    [Theory]
    [InlineData("Heun", null, "unsupported_sampler")]
    [InlineData("Euler a", "Karras", "unsupported_scheduler")]
    [InlineData("DPM++ 2M", "SGM Uniform", "unsupported_scheduler")]
    [InlineData("DPM++ 2M Exponential", null, "unsupported_scheduler")]
    [InlineData("Euler", "Fancy", "unsupported_scheduler")]
    public void RefusesWhatItCannotRunByName(string sampler, string? scheduler, string code) =>
        Assert.Equal(code, Assert.Throws<GenerationInputException>(() => SamplerSchedule.Resolve(sampler, scheduler)).Code);

    [Fact]
    public void AnExplicitKarrasScheduleGivesEulerKarrasSigmas()
    {
        var config = SchedulerConfig.StableDiffusion1;
        var uniform = (EulerDiscreteScheduler)SchedulerFactory.Create(SamplerSchedule.Resolve("Euler", null), config);
        var karras = (EulerDiscreteScheduler)SchedulerFactory.Create(SamplerSchedule.Resolve("Euler", "Karras"), config);
        uniform.SetTimesteps(10);
        karras.SetTimesteps(10);
        Assert.NotEqual(uniform.Timesteps, karras.Timesteps);
    }
}
