using System.Text.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Validation;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.Contracts.Runtimes;

namespace SdServerless.Functions.Tests.Tasks.Validation;

public class SubmissionValidatorTests
{
    private const string Owner = "key-owner-a";

    private static SubmissionValidator Validator(bool localDev = false)
    {
        var urls = new OutboundUrlPolicy(localDev);
        return new SubmissionValidator(RuntimeCatalog.Load(ApiFixture.CatalogPath), "sdruntime",
            new InitImageRules("in-bucket", "inputs", urls), urls, "outputs");
    }

    private static Dictionary<string, string[]> ErrorsOf(SubmitTaskRequest request, bool localDev = false)
    {
        var errors = new ValidationErrors();
        Validator(localDev).Validate(request, Owner, errors);
        return new Dictionary<string, string[]>(errors.ToDictionary());
    }

    [Fact]
    public void MinimalRequestGetsDefaults()
    {
        var errors = new ValidationErrors();

        var submission = Validator().Validate(new SubmitTaskRequest { Prompt = "a cat" }, Owner, errors);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(submission);
        Assert.Equal("sdruntime", submission.Runtime);
        Assert.Equal(TaskTypes.TextToImage, submission.TaskType);
        Assert.Equal(new GenerationParameters { Prompt = "a cat" }, submission.Parameters);
        Assert.Equal("outputs", submission.OutputPrefix);
    }

    [Fact]
    public void EveryBadFieldIsNamedInOneAnswer()
    {
        var errors = ErrorsOf(new SubmitTaskRequest
        {
            Runtime = "nope",
            TaskType = "video",
            Prompt = new string('x', 4001),
            NegativePrompt = new string('y', 4001),
            Width = 500,
            Height = 4096,
            Steps = 0,
            CfgScale = 31,
            Seed = -2,
            SamplerName = "Magic",
            BatchSize = 9,
            DenoisingStrength = 1.5f,
            CallbackUrl = "http://example.com/hook",
            WebhookEvents = ["start", "finished"],
            Metadata = JsonDocument.Parse("[1,2]").RootElement,
        });

        Assert.Equal(
            ["batch_size", "callback_url", "cfg_scale", "denoising_strength", "height", "metadata", "negative_prompt", "prompt",
             "runtime", "sampler_name", "seed", "steps", "task_type", "webhook_events", "width"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("sdruntime, sdturbo, comfy", errors["runtime"][0]);
        Assert.Contains("Euler a", errors["sampler_name"][0]);
        Assert.Contains("finished", errors["webhook_events"][0]);
    }

    [Theory]
    [InlineData("sdruntime", 63, false)]
    [InlineData("sdruntime", 64, true)]
    [InlineData("sdruntime", 72, false)]
    [InlineData("sdruntime", 100, false)]
    [InlineData("sdruntime", 2048, true)]
    [InlineData("sdruntime", 2112, false)]
    [InlineData("sdturbo", 72, true)]
    [InlineData("sdturbo", 100, false)]
    [InlineData("sdturbo", 2056, false)]
    public void WidthAndHeightFollowTheRuntimesSizeRule(string runtime, int size, bool valid)
    {
        var errors = ErrorsOf(new SubmitTaskRequest { Runtime = runtime, Width = size, Height = size });

        Assert.Equal(valid, !errors.ContainsKey("width"));
        Assert.Equal(valid, !errors.ContainsKey("height"));
        if (!valid)
        {
            Assert.Contains(runtime == "sdruntime" ? "multiple of 64" : "multiple of 8", errors["width"][0]);
        }
    }

    [Fact]
    public void TaskTypeTheRuntimeDoesNotServeIsRefused()
    {
        var errors = ErrorsOf(new SubmitTaskRequest { Runtime = "comfy", TaskType = TaskTypes.TextToImage });

        Assert.Contains("does not serve 'text-to-image'", errors["task_type"][0]);
    }

    [Theory]
    [InlineData("https://example.com/hook", true)]
    [InlineData("https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com/hook", false)]
    [InlineData("https://a..example.com/hook", false)]
    public void CallbackHostLabelsAreAtMost63Characters(string url, bool valid) =>
        Assert.Equal(valid, !ErrorsOf(new SubmitTaskRequest { CallbackUrl = url }).ContainsKey("callback_url"));

    [Fact]
    public void UrlsLongerThanTheLimitAreRefused()
    {
        var url = "https://example.com/" + new string('a', InputLimits.MaxUrlLength);

        var errors = ErrorsOf(new SubmitTaskRequest { CallbackUrl = url, TaskType = TaskTypes.ImageToImage, InitImages = [url] });

        Assert.Contains($"at most {InputLimits.MaxUrlLength}", errors["callback_url"][0]);
        Assert.Contains($"at most {InputLimits.MaxUrlLength}", errors["init_images[0]"][0]);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(150, true)]
    [InlineData(151, false)]
    [InlineData(-1, false)]
    public void StepsAreOneTo150(int steps, bool valid) => Assert.Equal(valid, !ErrorsOf(new SubmitTaskRequest { Steps = steps }).ContainsKey("steps"));

    [Theory]
    [InlineData(0f, true)]
    [InlineData(30f, true)]
    [InlineData(30.5f, false)]
    [InlineData(-0.1f, false)]
    public void CfgScaleIsZeroTo30(float scale, bool valid) => Assert.Equal(valid, !ErrorsOf(new SubmitTaskRequest { CfgScale = scale }).ContainsKey("cfg_scale"));

    [Theory]
    [InlineData(1, true)]
    [InlineData(8, true)]
    [InlineData(0, false)]
    [InlineData(9, false)]
    public void BatchSizeIsOneToEight(int size, bool valid) => Assert.Equal(valid, !ErrorsOf(new SubmitTaskRequest { BatchSize = size }).ContainsKey("batch_size"));

    [Theory]
    [InlineData(-1L, true)]
    [InlineData(0L, true)]
    [InlineData(4294967295L, true)]
    [InlineData(4294967296L, false)]
    [InlineData(-5L, false)]
    public void SeedIsMinusOneOrUnsigned32Bit(long seed, bool valid) => Assert.Equal(valid, !ErrorsOf(new SubmitTaskRequest { Seed = seed }).ContainsKey("seed"));

    [Fact]
    public void PromptOfExactly4000CharactersIsAccepted() =>
        Assert.Empty(ErrorsOf(new SubmitTaskRequest { Prompt = new string('p', 4000) }));

    [Theory]
    [InlineData("euler A", "Euler a")]
    [InlineData("dpm++ 2m karras", "DPM++ 2M Karras")]
    [InlineData("DDIM", "DDIM")]
    public void SamplerNamesMatchWithoutCaseAndBecomeCanonical(string given, string canonical)
    {
        var errors = new ValidationErrors();

        var submission = Validator().Validate(new SubmitTaskRequest { SamplerName = given }, Owner, errors);

        Assert.Equal(canonical, submission?.Parameters.SamplerName);
    }

    [Fact]
    public void ImageToImageNeedsInitImages() =>
        Assert.Contains("init_images", ErrorsOf(new SubmitTaskRequest { TaskType = TaskTypes.ImageToImage }).Keys);

    [Fact]
    public void TextToImageRefusesInitImages() =>
        Assert.Contains("init_images", ErrorsOf(new SubmitTaskRequest { InitImages = ["iVBORw0KGgo="] }).Keys);

    [Fact]
    public void EachBadInitImageIsNamedByIndex()
    {
        var errors = ErrorsOf(new SubmitTaskRequest
        {
            TaskType = TaskTypes.ImageToImage,
            InitImages = ["iVBORw0KGgo=", "s3://elsewhere/x.png", "https://10.0.0.1/x.png"],
        });

        Assert.Equal(["init_images[1]", "init_images[2]"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoopbackHttpCallbackIsAllowedOnlyInLocalDevMode()
    {
        var request = new SubmitTaskRequest { CallbackUrl = "http://127.0.0.1:5999/hook" };

        Assert.Contains("callback_url", ErrorsOf(request).Keys);
        Assert.Empty(ErrorsOf(request, localDev: true));
    }

    [Fact]
    public void WebhookEventsNeedACallbackAndDefaultToCompleted()
    {
        var errors = new ValidationErrors();
        var submission = Validator().Validate(new SubmitTaskRequest { CallbackUrl = "https://hooks.example.com/x" }, Owner, errors);

        Assert.Equal([WebhookEvents.Completed], submission?.WebhookEvents);
        Assert.Contains("webhook_events", ErrorsOf(new SubmitTaskRequest { WebhookEvents = ["start"] }).Keys);
    }

    [Fact]
    public void ProgressIsAWebhookEventOnlyWhenAskedFor()
    {
        var errors = new ValidationErrors();
        var submission = Validator().Validate(
            new SubmitTaskRequest { CallbackUrl = "https://hooks.example.com/x", WebhookEvents = ["progress", "completed"] }, Owner, errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal([WebhookEvents.Completed, WebhookEvents.Progress], submission?.WebhookEvents);
        Assert.DoesNotContain(WebhookEvents.Progress, WebhookEvents.Default);
    }

    [Fact]
    public void GuidanceRequestNamesNestedFields()
    {
        var errors = new ValidationErrors();
        var request = new GuidanceRequest(new GuidanceTask(
            new GuidanceMetadata("bad id!", "sdruntime", "extra-single-image", "../up", null),
            JsonSerializer.SerializeToElement(new { width = 10 })));

        Validator().Validate(request, Owner, errors);

        var fields = errors.ToDictionary();
        Assert.Equal(["task.content.width", "task.metadata.id", "task.metadata.prefix", "task.metadata.tasktype"], fields.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("text-to-image, image-to-image", fields["task.metadata.tasktype"][0]);
    }
}
