using System.Text.Json;
using SdServerless.Contracts.Runtimes;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.Functions.Tasks.Validation;
using SdServerless.Functions.Callbacks.Webhooks;

namespace SdServerless.Functions.Tests.Tasks.Validation;

/// <summary>Variation seeds, seed resize, ENSD and the generator, on both routes.</summary>
public sealed class NoiseFieldsRuleTests
{
    private const string Owner = "owner-1";

    private static SubmissionValidator Validator()
    {
        var urls = new OutboundUrlPolicy(false);
        return new SubmissionValidator(RuntimeCatalog.Load(ApiFixture.CatalogPath), "sdruntime", new InitImageRules("in-bucket", "inputs", urls), urls, "outputs");
    }

    [Fact]
    public void TheNativeRouteDrawsWithTheCpuGeneratorAndCarriesA1111sNoiseFields()
    {
        var errors = new ValidationErrors();
        var submission = Validator().Validate(new SubmitTaskRequest
        {
            Prompt = "a cat", Subseed = 7, SubseedStrength = 0.4f, SeedResizeFromW = 512, SeedResizeFromH = 640,
            OverrideSettings = JsonSerializer.SerializeToElement(new { eta_noise_seed_delta = 31337 }),
        }, Owner, errors);
        Assert.True(errors.IsEmpty);
        var parameters = submission!.Parameters;
        Assert.Equal(("cpu", "per_image", 7L, 0.4f, 512, 640, 31337L),
            (parameters.Rng, parameters.NoiseLayout, parameters.Subseed, parameters.SubseedStrength, parameters.SeedResizeFromW, parameters.SeedResizeFromH, parameters.EtaNoiseSeedDelta));
    }

    [Theory]
    [InlineData(null, null, "nv")]
    [InlineData(null, "CPU", "cpu")]
    [InlineData(null, "NV", "nv")]
    [InlineData("cpu", "GPU", "cpu")]
    public void TheA1111RouteDefaultsToNvAndReadsRandnSource(string? rng, string? randnSource, string expected)
    {
        var content = new Dictionary<string, object?> { ["prompt"] = "a cat", ["rng"] = rng };
        if (randnSource is not null)
        {
            content["override_settings"] = new { randn_source = randnSource };
        }

        var errors = new ValidationErrors();
        var submission = Validator().Validate(new GuidanceRequest(new GuidanceTask(
            new GuidanceMetadata("task-1", "sdruntime", "text-to-image", null, null), JsonSerializer.SerializeToElement(content))), Owner, errors);
        Assert.True(errors.IsEmpty, string.Join("; ", errors.ToDictionary().Keys));
        Assert.Equal(expected, submission!.Parameters.Rng);
    }

    [Fact]
    public void BadNoiseFieldsAreNamed()
    {
        var errors = new ValidationErrors();
        Validator().Validate(new SubmitTaskRequest
        {
            Subseed = -5, SubseedStrength = 2f, NIter = 0, SeedResizeFromH = 99999, Rng = "gpu", NoiseLayout = "rows",
            OverrideSettings = JsonSerializer.SerializeToElement(new { eta_noise_seed_delta = "x" }),
        }, Owner, errors);
        Assert.Equal(
            ["n_iter", "noise_layout", "override_settings.eta_noise_seed_delta", "rng", "seed_resize_from_h", "subseed", "subseed_strength"],
            errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }
}

/// <summary>A1111 1.9+'s scheduler field.</summary>
public sealed class SchedulerFieldRuleTests
{
    [Theory]
    [InlineData(null, "Automatic")]
    [InlineData("karras", "Karras")]
    [InlineData("sgm_uniform", "SGM Uniform")]
    public void KnownSchedulesArePassedOnAsA1111Labels(string? given, string expected)
    {
        var errors = new ValidationErrors();
        var result = SchedulerFieldRule.Apply(new SubmitTaskRequest { Scheduler = given }, new SdServerless.Contracts.Tasks.GenerationParameters(), "", errors);
        Assert.True(errors.IsEmpty);
        Assert.Equal(expected, result.Scheduler);
    }

    [Fact]
    public void AnUnknownScheduleIsNamed()
    {
        var errors = new ValidationErrors();
        SchedulerFieldRule.Apply(new SubmitTaskRequest { Scheduler = "fancy" }, new SdServerless.Contracts.Tasks.GenerationParameters(), "task.content.", errors);
        Assert.Equal(["task.content.scheduler"], errors.ToDictionary().Keys);
    }
}
