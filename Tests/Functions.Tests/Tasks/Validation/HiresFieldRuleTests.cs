using System.Text.Json;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Validation;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Validation;

/// <summary>The hires fix: A1111's flat fields on <c>/v1alpha2</c>, the native <c>hires</c> object on <c>/v1/tasks</c>, each bad field named.</summary>
public sealed class HiresFieldRuleTests
{
    private const string Owner = "owner-1";

    private static SubmissionValidator Validator()
    {
        var urls = new OutboundUrlPolicy(false);
        return new SubmissionValidator(RuntimeCatalog.Load(ApiFixture.CatalogPath), "sdruntime", new InitImageRules("in-bucket", "inputs", urls), urls, "outputs");
    }

    private static (HiresParameters? Hires, string[] Errors) Guidance(object content, string tasktype = "text-to-image", string runtime = "sdruntime")
    {
        var errors = new ValidationErrors();
        var submission = Validator().Validate(new GuidanceRequest(new GuidanceTask(
            new GuidanceMetadata("task-1", runtime, tasktype, null, null), JsonSerializer.SerializeToElement(content))), Owner, errors);
        return (submission?.Parameters.Hires, [.. errors.ToDictionary().Keys]);
    }

    private static (HiresParameters? Hires, string[] Errors) Native(SubmitTaskRequest request)
    {
        var errors = new ValidationErrors();
        var submission = Validator().Validate(request, Owner, errors);
        return (submission?.Parameters.Hires, [.. errors.ToDictionary().Keys]);
    }

    [Fact]
    public void A1111sFlatFieldsBecomeTheHiresParameters()
    {
        var (hires, errors) = Guidance(new Dictionary<string, object>
        {
            ["prompt"] = "a cat", ["width"] = 512, ["height"] = 512, ["enable_hr"] = true, ["hr_scale"] = 1.5, ["hr_upscaler"] = "latent (bicubic)",
            ["hr_second_pass_steps"] = 10, ["hr_sampler_name"] = "DDIM", ["hr_scheduler"] = "Use same scheduler", ["hr_prompt"] = "a sharp cat",
            ["hr_checkpoint_name"] = "Use same checkpoint", ["denoising_strength"] = 0.6,
        });
        Assert.Empty(errors);
        Assert.Equal(new HiresParameters { Scale = 1.5, Upscaler = "Latent (bicubic)", SecondPassSteps = 10, SamplerName = "DDIM", Prompt = "a sharp cat" }, hires);
    }

    [Fact]
    public void EnableHrFalseOrAbsentIsOnePass()
    {
        Assert.Null(Guidance(new Dictionary<string, object> { ["prompt"] = "a cat", ["enable_hr"] = false, ["hr_scale"] = 2 }).Hires);
        Assert.Null(Native(new SubmitTaskRequest { Prompt = "a cat" }).Hires);
    }

    [Fact]
    public void TheNativeObjectIsCheckedAndNormalized()
    {
        var (hires, errors) = Native(new SubmitTaskRequest
        {
            Prompt = "a cat", Width = 512, Height = 768,
            Hires = new HiresParameters { ResizeX = 1024, Upscaler = "Lanczos", SamplerName = "Use same sampler" },
        });
        Assert.Empty(errors);
        Assert.Equal(new HiresParameters { Scale = 2, ResizeX = 1024, Upscaler = "Lanczos" }, hires);
    }

    [Fact]
    public void AFieldLeftOutOfTheNativeObjectTakesA1111sDefault()
    {
        var request = JsonSerializer.Deserialize("""{"hires":{"upscaler":"Nearest"}}""", FunctionsJsonContext.Default.SubmitTaskRequest)!;
        var (hires, errors) = Native(request);
        Assert.Empty(errors);
        Assert.Equal((2.0, 0, "Nearest"), (hires!.Scale, hires.SecondPassSteps, hires.Upscaler));
    }

    [Theory]
    [InlineData("R-ESRGAN 4x+")]
    [InlineData("SwinIR 4x")]
    [InlineData("LDSR")]
    public void ModelUpscalersAreRefusedByName(string upscaler)
    {
        var (_, errors) = Guidance(new Dictionary<string, object> { ["prompt"] = "a cat", ["enable_hr"] = true, ["hr_upscaler"] = upscaler });
        Assert.Equal(["task.content.hr_upscaler"], errors);
        Assert.Equal(["hires.upscaler"], Native(new SubmitTaskRequest { Hires = new HiresParameters { Upscaler = upscaler } }).Errors);
    }

    [Theory]
    [InlineData(512, 1.1, 0, 0, "hires.scale")]
    [InlineData(1024, 4, 0, 0, "hires.scale")]
    [InlineData(512, 2, 1000, 0, "hires.resize_x")]
    [InlineData(512, 2, 0, 3000, "hires.resize_y")]
    [InlineData(512, 0, 0, 0, "hires.scale")]
    public void TheRuntimesSizeRuleAppliesToTheFinalSize(int size, double scale, int resizeX, int resizeY, string field)
    {
        var (_, errors) = Native(new SubmitTaskRequest { Width = size, Height = size, Hires = new HiresParameters { Scale = scale, ResizeX = resizeX, ResizeY = resizeY } });
        Assert.Contains(field, errors);
    }

    [Fact]
    public void BadFieldsAreNamedOnEachRoute()
    {
        var (_, flat) = Guidance(new Dictionary<string, object>
        {
            ["prompt"] = "a cat", ["enable_hr"] = true, ["hr_second_pass_steps"] = 500, ["hr_sampler_name"] = "Heun++", ["hr_scheduler"] = "Wobbly",
        });
        Assert.Equal(["task.content.hr_sampler_name", "task.content.hr_scheduler", "task.content.hr_second_pass_steps"], flat.Order(StringComparer.Ordinal));
        Assert.Equal(["task.content.hr_scale"], Guidance(new Dictionary<string, object> { ["prompt"] = "a cat", ["enable_hr"] = true, ["hr_scale"] = "two" }).Errors);
    }

    [Fact]
    public void OneOfTheTwoFormsOnTextToImageOnly()
    {
        var both = new SubmitTaskRequest
        {
            Hires = new HiresParameters(), OtherFields = new() { ["enable_hr"] = JsonSerializer.SerializeToElement(true) },
        };
        Assert.Equal(["hires"], Native(both).Errors);
        var (_, img2img) = Guidance(new Dictionary<string, object> { ["prompt"] = "a cat", ["enable_hr"] = true, ["init_images"] = new[] { "iVBORw0KGgo=" } }, "image-to-image");
        Assert.Contains("task.content.enable_hr", img2img);
    }

    [Fact]
    public void TheNativeObjectIsRefusedWhereTheRuntimeIsNotOnnx()
    {
        var (_, errors) = Native(new SubmitTaskRequest { Runtime = "sdturbo", Hires = new HiresParameters() });
        Assert.Equal(["hires"], errors);
    }
}
