using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Sampling;

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
    [InlineData("Heun", null, "Heun", "Uniform")]
    [InlineData("DPM2", "Automatic", "DPM2", "Karras")]
    [InlineData("DPM2 a", null, "DPM2 a", "Karras")]
    [InlineData("DPM++ 2S a", null, "DPM++ 2S a", "Karras")]
    [InlineData("DPM++ SDE", null, "DPM++ SDE", "Karras")]
    [InlineData("DPM++ 2M SDE", null, "DPM++ 2M SDE", "Exponential")]
    [InlineData("DPM++ 2M SDE Heun", null, "DPM++ 2M SDE Heun", "Exponential")]
    [InlineData("DPM++ SDE Karras", null, "DPM++ SDE", "Karras")]
    [InlineData("DPM++ 2M SDE Karras", null, "DPM++ 2M SDE", "Karras")]
    [InlineData("Euler a", "Karras", "Euler a", "Karras")]
    [InlineData("DPM++ 2M", "SGM Uniform", "DPM++ 2M", "SGM Uniform")]
    [InlineData("Euler SGM Uniform", null, "Euler", "SGM Uniform")]
    [InlineData("DPM++ 2M Exponential", null, "DPM++ 2M", "Exponential")]
    [InlineData("Heun", "kl_optimal", "Heun", "KL Optimal")]
    [InlineData("LCM", null, "LCM", "Uniform")]
    [InlineData("lcm", "Automatic", "LCM", "Uniform")]
    [InlineData("UniPC", null, "UniPC", "Uniform")]
    public void ResolvesAsA1111Does(string sampler, string? scheduler, string expectedSampler, string expectedSchedule) =>
        Assert.Equal(new SamplerSchedule(expectedSampler, expectedSchedule), SamplerSchedule.Resolve(sampler, scheduler));

    [Theory]
    [InlineData("DPM fast", null, "unsupported_sampler")]
    [InlineData("DPM adaptive", null, "unsupported_sampler")]
    [InlineData("Restart", null, "unsupported_sampler")]
    [InlineData("DPM++ 3M SDE", null, "unsupported_sampler")]
    [InlineData("UniPC", "Karras", "unsupported_scheduler")]
    [InlineData("LCM", "Karras", "unsupported_scheduler")]
    [InlineData("Euler", "Beta", "unsupported_scheduler")]
    [InlineData("Heun", "Align Your Steps", "unsupported_scheduler")]
    [InlineData("LMS", "Exponential", "unsupported_scheduler")]
    [InlineData("DDIM", "Karras", "unsupported_scheduler")]
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
