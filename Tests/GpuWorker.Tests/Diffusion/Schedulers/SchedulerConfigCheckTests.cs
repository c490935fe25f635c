using System.Text.Json;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Schedulers;
using SdServerless.GpuWorker.Diffusion.TinyModels;
using SdServerless.GpuWorker.Tests.Diffusion.Pipeline;
using SdServerless.GpuWorker.Diffusion.Loading;
using SdServerless.GpuWorker.Diffusion.Sampling;

namespace SdServerless.GpuWorker.Tests.Diffusion.Schedulers;

/// <summary>Scheduler config keys SDXL exports carry are honoured (spacing, Karras sigmas) or refused loudly, never ignored.</summary>
public sealed class SchedulerConfigCheckTests
{
    [Fact]
    public void SdxlBaseConfigReadsAsPublished()
    {
        var config = SchedulerConfig.Parse("""
            {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.19.0.dev0", "beta_end": 0.012, "beta_schedule": "scaled_linear",
             "beta_start": 0.00085, "clip_sample": false, "interpolation_type": "linear", "num_train_timesteps": 1000,
             "prediction_type": "epsilon", "sample_max_value": 1.0, "set_alpha_to_one": false, "skip_prk_steps": true,
             "steps_offset": 1, "timestep_spacing": "leading", "trained_betas": null, "use_karras_sigmas": false}
            """);
        Assert.Equal(SchedulerConfig.StableDiffusionXL with { ClassName = "EulerDiscreteScheduler" }, config with { });
        SchedulerConfigCheck.RefuseUnsupportedKeys(config);
    }

    [Fact]
    public void LeadingSpacingGivesSdxlBaseTimesteps()
    {
        // diffusers EulerDiscreteScheduler, leading, steps_offset 1: (arange(0, N) * (1000 // N))[::-1] + 1
        var euler = new EulerDiscreteScheduler(SchedulerConfig.StableDiffusionXL);
        euler.SetTimesteps(4);
        Assert.Equal([751f, 501f, 251f, 1f], euler.Timesteps);
        Assert.Equal(Math.Sqrt(euler.Sigmas[0] * euler.Sigmas[0] + 1), euler.InitNoiseSigma, 1e-5);
    }

    [Theory]
    [InlineData(1, new[] { 999f })]
    [InlineData(2, new[] { 999f, 499f })]
    [InlineData(4, new[] { 999f, 749f, 499f, 249f })]
    public void TrailingSpacingGivesSdxlTurboTimesteps(int steps, float[] expected)
    {
        var eulerA = new EulerAncestralDiscreteScheduler(SchedulerConfig.StableDiffusionXLTurbo);
        eulerA.SetTimesteps(steps);
        Assert.Equal(expected, eulerA.Timesteps);
        Assert.Equal((float)eulerA.Sigmas[0], eulerA.InitNoiseSigma, 1e-5f);
    }

    [Fact]
    public void UseKarrasSigmasIsHonouredByEuler()
    {
        var karras = new EulerDiscreteScheduler(SchedulerConfig.StableDiffusion1 with { UseKarrasSigmas = true });
        var plain = new EulerDiscreteScheduler(SchedulerConfig.StableDiffusion1);
        karras.SetTimesteps(10);
        plain.SetTimesteps(10);
        var expected = NoiseSchedule.KarrasSigmas(plain.Sigmas[9], plain.Sigmas[0], 10);
        var schedule = new NoiseSchedule(SchedulerConfig.StableDiffusion1);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(expected[i], karras.Sigmas[i], 1e-9);
            Assert.Equal(expected[i], schedule.SigmaAt(karras.Timesteps[i]), expected[i] * 1e-3);
        }

        Assert.Equal(0.0, karras.Sigmas[10]);
        Assert.NotEqual(plain.Sigmas[5], karras.Sigmas[5]);
    }

    [Fact]
    public void UseKarrasSigmasMakesDpmSolverKarrasAsInDiffusers()
    {
        var config = SchedulerConfig.StableDiffusion1 with { UseKarrasSigmas = true };
        var plainName = SchedulerFactory.Create("DPM++ 2M", config);
        var karrasName = SchedulerFactory.Create("DPM++ 2M Karras", SchedulerConfig.StableDiffusion1);
        plainName.SetTimesteps(20);
        karrasName.SetTimesteps(20);
        Assert.Equal(karrasName.Timesteps, plainName.Timesteps);
    }

    [Theory]
    [InlineData("Euler a")]
    [InlineData("DDIM")]
    public void SamplersThatCannotFollowKarrasSigmasAreRefusedForTheRequest(string sampler)
    {
        Assert.Null(SchedulerConfigCheck.SamplerConflict(sampler, SchedulerConfig.StableDiffusion1));
        Assert.Contains("use_karras_sigmas", SchedulerConfigCheck.SamplerConflict(sampler, SchedulerConfig.StableDiffusion1 with { UseKarrasSigmas = true }));
    }

    [Theory]
    [InlineData("interpolation_type", "\"log_linear\"")]
    [InlineData("final_sigmas_type", "\"sigma_min\"")]
    [InlineData("timestep_type", "\"continuous\"")]
    [InlineData("use_exponential_sigmas", "true")]
    [InlineData("use_beta_sigmas", "true")]
    [InlineData("sigma_min", "0.002")]
    [InlineData("thresholding", "true")]
    [InlineData("timestep_spacing", "\"karras\"")]
    public void AKeyTheSchedulersCannotFollowIsRefusedAtLoadNamingIt(string key, string value)
    {
        var root = Directory.CreateTempSubdirectory("sd-scheduler-").FullName;
        try
        {
            var folder = Path.Combine(root, "model");
            TinyModelGenerator.Generate(folder);
            var path = Path.Combine(folder, "scheduler", "scheduler_config.json");
            var json = File.ReadAllText(path).TrimEnd().TrimEnd('}') + $", \"{key}\": {value} }}";
            File.WriteAllText(path, json);
            using var document = JsonDocument.Parse(json);
            var error = Assert.Throws<ModelLoadException>(() => TinyModelFixture.Load(folder));
            Assert.Contains(key, error.Message);
            Assert.Contains(path, error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
