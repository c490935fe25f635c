using System.Text.Json;
using SdServerless.Contracts.Runtimes;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tests.Tasks.Validation;

/// <summary>A1111's eta and sigma settings, and the new samplers' names, as the task carries them to the worker.</summary>
public sealed class SamplerFieldsRuleTests
{
    private static SubmissionValidator Validator()
    {
        var urls = new OutboundUrlPolicy(false);
        return new SubmissionValidator(RuntimeCatalog.Load(ApiFixture.CatalogPath), "sdruntime", new InitImageRules("in-bucket", "inputs", urls), urls, "outputs");
    }

    private static Dictionary<string, JsonElement> Fields(object fields) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(fields))!;

    [Fact]
    public void TheSettingsReachTheTasksParameters()
    {
        var errors = new ValidationErrors();
        var submission = Validator().Validate(new SubmitTaskRequest
        {
            Prompt = "a cat", SamplerName = "Heun",
            OtherFields = Fields(new { eta = 0.25, s_noise = 0.9, s_churn = 3, s_tmin = 0.1, s_tmax = 12 }),
        }, "owner-1", errors);
        Assert.True(errors.IsEmpty, string.Join("; ", errors.ToDictionary().Keys));
        var p = submission!.Parameters;
        Assert.Equal((0.25, 0.9, 3.0, 0.1, 12.0), (p.Eta, p.SNoise, p.SChurn, p.STmin, p.STmax));
    }

    [Fact]
    public void AbsentSettingsKeepA1111sDefaults()
    {
        var errors = new ValidationErrors();
        var p = Validator().Validate(new SubmitTaskRequest { Prompt = "a cat" }, "owner-1", errors)!.Parameters;
        Assert.Equal(((double?)null, 1.0, 0.0, 0.0, 0.0), (p.Eta, p.SNoise, p.SChurn, p.STmin, p.STmax));
    }

    [Theory]
    [InlineData("DPM++ SDE Karras")]
    [InlineData("dpm2 a karras")]
    [InlineData("DPM++ 2M SDE Exponential")]
    public void OldCombinedNamesOfListedSamplersAreAccepted(string sampler)
    {
        var errors = new ValidationErrors();
        var submission = Validator().Validate(new SubmitTaskRequest { Prompt = "a cat", SamplerName = sampler }, "owner-1", errors);
        Assert.True(errors.IsEmpty);
        Assert.Equal(sampler, submission!.Parameters.SamplerName);
    }

    [Fact]
    public void ASamplerTheRuntimeDoesNotListIsNamedEvenWithAScheduleSuffix()
    {
        var errors = new ValidationErrors();
        Validator().Validate(new SubmitTaskRequest { Prompt = "a cat", SamplerName = "DPM fast Karras" }, "owner-1", errors);
        Assert.Contains("sampler_name", errors.ToDictionary().Keys);
    }
}
