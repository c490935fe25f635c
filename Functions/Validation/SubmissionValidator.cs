using System.Text.Json;
using System.Text.RegularExpressions;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Model;
using SdServerless.Functions.Submission;

namespace SdServerless.Functions.Validation;

/// <summary>
/// Checks a submitted task against every rule and names each bad field (all of them, not the first); a request that
/// passes becomes a normalized <see cref="TaskSubmission"/>.
/// </summary>
public sealed partial class SubmissionValidator(
    IReadOnlyList<string> runtimes, string defaultRuntime, SamplerCatalog samplers, InitImageRules initImages, OutboundUrlPolicy callbacks, string defaultOutputPrefix)
{
    public const int MaxPromptLength = 4_000;
    public const int MaxMetadataBytes = 8 * 1024;
    public const long MaxSeed = uint.MaxValue;

    /// <summary>Task types <c>/v1alpha2</c> serves (the guidance names more, which we do not run).</summary>
    public static readonly IReadOnlyList<string> GuidanceTaskTypes = TaskTypes.All;

    public IReadOnlyList<string> Runtimes => runtimes;

    public TaskSubmission? Validate(SubmitTaskRequest request, ValidationErrors errors)
    {
        var runtime = CheckRuntime(request.Runtime, "runtime", errors);
        var taskType = CheckTaskType(request.TaskType, "task_type", errors);
        var parameters = CheckParameters(request, taskType, "", errors);
        var callback = request.CallbackUrl;
        if (callback is not null && callbacks.Check(callback) is { } problem)
        {
            errors.Add("callback_url", $"callback_url {problem}");
        }
        var events = CheckWebhookEvents(request, errors);
        CheckMetadata(request.Metadata, errors);
        return errors.IsEmpty
            ? new TaskSubmission
            {
                Runtime = runtime!,
                TaskType = taskType!,
                Parameters = parameters,
                OutputPrefix = defaultOutputPrefix,
                CallbackUrl = callback,
                WebhookEvents = events,
                Metadata = request.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata : null,
            }
            : null;
    }

    public TaskSubmission? Validate(GuidanceRequest request, ValidationErrors errors)
    {
        if (request.Task is null)
        {
            errors.Add("task", "task is required.");
            return null;
        }
        var metadata = request.Task.Metadata;
        var content = request.Task.Content;
        if (metadata is null)
        {
            errors.Add("task.metadata", "task.metadata is required.");
        }
        if (content is null)
        {
            errors.Add("task.content", "task.content is required.");
        }
        if (metadata is null || content is null)
        {
            return null;
        }
        var id = metadata.Id;
        if (id is not null && !TaskIdPattern().IsMatch(id))
        {
            errors.Add("task.metadata.id", "task.metadata.id must be 1 to 64 letters, digits, '-' or '_'.");
        }
        var runtime = CheckRuntime(metadata.Runtime, "task.metadata.runtime", errors);
        string? taskType = null;
        if (metadata.TaskType is null)
        {
            errors.Add("task.metadata.tasktype", $"task.metadata.tasktype is required; supported: {string.Join(", ", GuidanceTaskTypes)}.");
        }
        else
        {
            taskType = CheckTaskType(metadata.TaskType, "task.metadata.tasktype", errors);
        }
        var prefix = metadata.Prefix is null ? defaultOutputPrefix : metadata.Prefix.Trim('/');
        if (!PrefixPattern().IsMatch(prefix) || prefix.Split('/').Any(segment => segment is "." or ".."))
        {
            errors.Add("task.metadata.prefix", "task.metadata.prefix must be 1 to 200 letters, digits, '-', '_', '.' or '/', without '.' or '..' segments.");
        }
        var parameters = CheckParameters(content, taskType, "task.content.", errors);
        return errors.IsEmpty
            ? new TaskSubmission
            {
                TaskId = id,
                Runtime = runtime!,
                TaskType = taskType!,
                Parameters = parameters,
                OutputPrefix = prefix,
                Context = metadata.Context is { ValueKind: not JsonValueKind.Undefined } context ? context : null,
            }
            : null;
    }

    private string? CheckRuntime(string? value, string field, ValidationErrors errors)
    {
        var runtime = string.IsNullOrWhiteSpace(value) ? defaultRuntime : value.Trim();
        if (!runtimes.Contains(runtime, StringComparer.Ordinal))
        {
            errors.Add(field, $"Unknown runtime '{runtime}'; known runtimes: {string.Join(", ", runtimes)}.");
            return null;
        }
        return runtime;
    }

    private static string? CheckTaskType(string? value, string field, ValidationErrors errors)
    {
        var taskType = value ?? TaskTypes.TextToImage;
        if (!TaskTypes.All.Contains(taskType, StringComparer.Ordinal))
        {
            errors.Add(field, $"Unsupported task type '{taskType}'; supported: {string.Join(", ", TaskTypes.All)}.");
            return null;
        }
        return taskType;
    }

    private GenerationParameters CheckParameters(SubmitTaskRequest request, string? taskType, string prefix, ValidationErrors errors)
    {
        var defaults = new GenerationParameters();
        var parameters = new GenerationParameters
        {
            Prompt = request.Prompt ?? defaults.Prompt,
            NegativePrompt = request.NegativePrompt,
            Width = request.Width ?? defaults.Width,
            Height = request.Height ?? defaults.Height,
            Steps = request.Steps ?? defaults.Steps,
            CfgScale = request.CfgScale ?? defaults.CfgScale,
            Seed = request.Seed ?? defaults.Seed,
            SamplerName = request.SamplerName ?? defaults.SamplerName,
            BatchSize = request.BatchSize ?? defaults.BatchSize,
            DenoisingStrength = request.DenoisingStrength ?? defaults.DenoisingStrength,
            InitImages = request.InitImages is { Count: > 0 } images ? images : null,
        };
        if (parameters.Prompt.Length > MaxPromptLength)
        {
            errors.Add(prefix + "prompt", $"prompt is {parameters.Prompt.Length} characters; at most {MaxPromptLength} are allowed.");
        }
        if (parameters.NegativePrompt is { Length: > MaxPromptLength } negative)
        {
            errors.Add(prefix + "negative_prompt", $"negative_prompt is {negative.Length} characters; at most {MaxPromptLength} are allowed.");
        }
        CheckDimension(parameters.Width, prefix + "width", errors);
        CheckDimension(parameters.Height, prefix + "height", errors);
        if (parameters.Steps is < 1 or > 150)
        {
            errors.Add(prefix + "steps", $"steps must be 1 to 150; got {parameters.Steps}.");
        }
        if (parameters.CfgScale is < 0 or > 30)
        {
            errors.Add(prefix + "cfg_scale", $"cfg_scale must be 0 to 30; got {parameters.CfgScale}.");
        }
        if (parameters.Seed != -1 && parameters.Seed is < 0 or > MaxSeed)
        {
            errors.Add(prefix + "seed", $"seed must be -1 (random) or 0 to {MaxSeed}; got {parameters.Seed}.");
        }
        if (parameters.BatchSize is < 1 or > 8)
        {
            errors.Add(prefix + "batch_size", $"batch_size must be 1 to 8; got {parameters.BatchSize}.");
        }
        if (parameters.DenoisingStrength is < 0 or > 1)
        {
            errors.Add(prefix + "denoising_strength", $"denoising_strength must be 0 to 1; got {parameters.DenoisingStrength}.");
        }
        if (samplers.Canonical(parameters.SamplerName) is { } sampler)
        {
            parameters = parameters with { SamplerName = sampler };
        }
        else
        {
            errors.Add(prefix + "sampler_name", $"Unsupported sampler '{parameters.SamplerName}'; supported: {string.Join(", ", samplers.Names)}.");
        }
        CheckInitImages(parameters.InitImages, taskType, prefix, errors);
        return parameters;
    }

    private void CheckInitImages(IReadOnlyList<string>? images, string? taskType, string prefix, ValidationErrors errors)
    {
        var field = prefix + "init_images";
        if (taskType == TaskTypes.ImageToImage && images is null)
        {
            errors.Add(field, "image-to-image needs at least one init image.");
        }
        if (images is null)
        {
            return;
        }
        if (taskType == TaskTypes.TextToImage)
        {
            errors.Add(field, "init_images apply only to image-to-image tasks.");
            return;
        }
        if (images.Count > InitImageRules.MaxImages)
        {
            errors.Add(field, $"at most {InitImageRules.MaxImages} init images are allowed; got {images.Count}.");
        }
        for (var i = 0; i < images.Count; i++)
        {
            if (initImages.Check(images[i]) is { } problem)
            {
                errors.Add($"{field}[{i}]", $"init_images[{i}] {problem}");
            }
        }
    }

    private static IReadOnlyList<string> CheckWebhookEvents(SubmitTaskRequest request, ValidationErrors errors)
    {
        if (request.WebhookEvents is null)
        {
            return request.CallbackUrl is null ? [] : [WebhookEvents.Completed];
        }
        if (request.CallbackUrl is null)
        {
            errors.Add("webhook_events", "webhook_events needs a callback_url.");
        }
        var unknown = request.WebhookEvents.Where(e => !WebhookEvents.All.Contains(e, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("webhook_events", $"Unknown webhook events: {string.Join(", ", unknown)}; supported: {string.Join(", ", WebhookEvents.All)}.");
        }
        return [.. request.WebhookEvents.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static void CheckMetadata(JsonElement? metadata, ValidationErrors errors)
    {
        if (metadata is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add("metadata", "metadata must be a JSON object.");
        }
        else if (value.GetRawText().Length > MaxMetadataBytes)
        {
            errors.Add("metadata", $"metadata must be at most {MaxMetadataBytes} bytes of JSON.");
        }
    }

    private static void CheckDimension(int value, string field, ValidationErrors errors)
    {
        if (value is < 64 or > 2048 || value % 8 != 0)
        {
            errors.Add(field, $"{field[(field.LastIndexOf('.') + 1)..]} must be a multiple of 8 from 64 to 2048; got {value}.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex TaskIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_./-]{1,200}$")]
    private static partial Regex PrefixPattern();
}
