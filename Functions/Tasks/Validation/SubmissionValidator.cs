using System.Text.Json;
using System.Text.RegularExpressions;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Submission;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// Checks a submitted task against every rule and names each bad field (all of them, not the first); a request that
/// passes becomes a normalized <see cref="TaskSubmission"/>.
/// </summary>
public sealed partial class SubmissionValidator(
    RuntimeCatalog runtimes, string defaultRuntime, InitImageRules initImages, OutboundUrlPolicy callbacks, string defaultOutputPrefix,
    TimeProvider? time = null, ExpiresAfterRule? retention = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ExpiresAfterRule _retention = retention ?? new ExpiresAfterRule(new RetentionOptions());

    public const double MaxUpscale = 8;
    private const int MaxScriptsBytes = 64 * 1024;

    private readonly WorkflowRules _workflows = new(initImages);

    /// <summary>The guidance's task type names on <c>/v1alpha2</c> and ours: its <c>pipeline</c> is a ComfyUI workflow.</summary>
    private static readonly IReadOnlyDictionary<string, string> GuidanceTaskTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TaskTypes.TextToImage] = TaskTypes.TextToImage,
        [TaskTypes.ImageToImage] = TaskTypes.ImageToImage,
        [TaskTypes.ExtraSingleImage] = TaskTypes.ExtraSingleImage,
        ["pipeline"] = TaskTypes.ComfyUiWorkflow,
    };

    /// <param name="owner">The caller; its <c>s3://</c> init images must lie under its own input prefix.</param>
    /// <param name="cancelAfter">The <c>Cancel-After</c> header, if any.</param>
    public TaskSubmission? Validate(SubmitTaskRequest request, string owner, ValidationErrors errors, string? cancelAfter = null)
    {
        var runtime = CheckRuntime(request.Runtime, "runtime", errors);
        var taskType = CheckTaskType(request.TaskType, runtime, "task_type", errors);
        var parameters = CheckParameters(request, runtime, taskType, "", NoiseFieldsRule.NativeDefaultRng, owner, errors);
        var callback = request.CallbackUrl;
        if (callback is not null && callbacks.Check(callback) is { } problem)
        {
            errors.Add("callback_url", $"callback_url {problem}");
        }
        var events = CheckWebhookEvents(request, errors);
        CheckJsonObject(request.Metadata, "metadata", errors, InputLimits.MaxMetadataBytes);
        var timing = TaskTimingRule.Check(cancelAfter, request.Deadline, runtime, _time.GetUtcNow(), errors);
        var priority = PriorityRule.Check(request.Priority, "priority", errors);
        var kept = _retention.Check(request.ExpiresAfter, errors);
        return errors.IsEmpty
            ? new TaskSubmission
            {
                Timing = timing,
                Priority = priority,
                Retention = kept,
                Runtime = runtime!.Name,
                TaskType = taskType!,
                Parameters = parameters,
                OutputPrefix = defaultOutputPrefix,
                CallbackUrl = callback,
                WebhookEvents = events,
                Metadata = request.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata : null,
            }
            : null;
    }

    /// <summary>
    /// A finished task's stored request, to run again as a new task retrying <paramref name="retryOf"/>: checked against
    /// today's catalogue and outbound URL policy, which may have changed since the request was accepted.
    /// </summary>
    public TaskSubmission? ValidateRetry(CanonicalRequest stored, string retryOf, ValidationErrors errors)
    {
        var runtime = CheckRuntime(stored.Runtime, "runtime", errors);
        var taskType = CheckTaskType(stored.TaskType, runtime, "task_type", errors);
        if (stored.CallbackUrl is { } callback && callbacks.Check(callback) is { } problem)
        {
            errors.Add("callback_url", $"callback_url {problem}");
        }
        var kept = _retention.Check(stored.ExpiresAfter, errors);
        return errors.IsEmpty
            ? new TaskSubmission
            {
                Runtime = runtime!.Name,
                TaskType = taskType!,
                Parameters = stored.Parameters,
                OutputPrefix = stored.OutputPrefix,
                CallbackUrl = stored.CallbackUrl,
                WebhookEvents = stored.WebhookEvents,
                Metadata = stored.Metadata,
                Context = stored.Context,
                RetryOf = retryOf,
                Priority = stored.Priority ?? TaskPriorities.Normal,
                Retention = kept,
                Timing = new TaskTiming(null, TaskTimingRule.QueueTtlEnd(runtime, _time.GetUtcNow())),
            }
            : null;
    }

    public TaskSubmission? Validate(GuidanceRequest request, string owner, ValidationErrors errors)
    {
        if (request.Task is null)
        {
            errors.Add("task", "task is required.");
            return null;
        }
        var metadata = request.Task.Metadata;
        var content = request.Task.Content is { ValueKind: JsonValueKind.Object } body ? body : (JsonElement?)null;
        if (metadata is null)
        {
            errors.Add("task.metadata", "task.metadata is required.");
        }
        if (content is null)
        {
            errors.Add("task.content", "task.content is required: a JSON object.");
        }
        if (metadata is null || content is null)
        {
            return null;
        }
        var id = metadata.Id;
        if (id is not null && (!TaskIdRule.IsValid(id) || id.Length > TaskIds.MaxChosenLength))
        {
            errors.Add("task.metadata.id", $"task.metadata.id must be 1 to {TaskIds.MaxChosenLength} letters, digits, '-' or '_'.");
        }
        var runtime = CheckRuntime(metadata.Runtime, "task.metadata.runtime", errors);
        string? taskType = null;
        if (metadata.TaskType is null)
        {
            errors.Add("task.metadata.tasktype", $"task.metadata.tasktype is required; supported: {string.Join(", ", GuidanceTaskTypes.Keys)}.");
        }
        else if (!GuidanceTaskTypes.TryGetValue(metadata.TaskType, out var ours))
        {
            errors.Add("task.metadata.tasktype", $"Unsupported task type '{metadata.TaskType}'; supported: {string.Join(", ", GuidanceTaskTypes.Keys)}.");
        }
        else
        {
            taskType = CheckTaskType(ours, runtime, "task.metadata.tasktype", errors);
        }
        var prefix = metadata.Prefix is null ? defaultOutputPrefix : metadata.Prefix.Trim('/');
        if (!PrefixPattern().IsMatch(prefix) || prefix.Split('/').Any(segment => segment is "." or ".."))
        {
            errors.Add("task.metadata.prefix", "task.metadata.prefix must be 1 to 200 letters, digits, '-', '_', '.' or '/', without '.' or '..' segments.");
        }
        else if (prefix != defaultOutputPrefix && !prefix.StartsWith(defaultOutputPrefix + "/", StringComparison.Ordinal))
        {
            // Workers may write only under the output prefix, and only it expires with the bucket's lifecycle rule: a
            // caller's prefix lies under it (the guidance's clients send "output", which becomes "outputs/output").
            prefix = $"{defaultOutputPrefix}/{prefix}";
        }
        if (GuidanceContent.Read(content.Value, taskType, errors) is not { } fields)
        {
            return null;
        }
        var parameters = CheckParameters(fields, runtime, taskType, "task.content.", NoiseFieldsRule.A1111DefaultRng, owner, errors);
        CheckJsonObject(metadata.Context, "task.metadata.context", errors, InputLimits.MaxMetadataBytes, objectOnly: false);
        return errors.IsEmpty
            ? new TaskSubmission
            {
                // Scoped to the caller: another caller's task with the same chosen id is another task (0342).
                TaskId = id is null ? null : TaskIds.OwnedBy(owner, id),
                Runtime = runtime!.Name,
                TaskType = taskType!,
                Parameters = parameters,
                OutputPrefix = prefix,
                Context = metadata.Context is { ValueKind: not JsonValueKind.Undefined } context ? context : null,
                Timing = new TaskTiming(null, TaskTimingRule.QueueTtlEnd(runtime, _time.GetUtcNow())),
            }
            : null;
    }

    private RuntimeDefinition? CheckRuntime(string? value, string field, ValidationErrors errors)
    {
        var name = string.IsNullOrWhiteSpace(value) ? defaultRuntime : value.Trim();
        if (runtimes.Find(name) is { } runtime)
        {
            return runtime;
        }
        errors.Add(field, $"Unknown runtime '{CallerText.Shorten(name)}'; known runtimes: {string.Join(", ", runtimes.Names)}.");
        return null;
    }

    private static string? CheckTaskType(string? value, RuntimeDefinition? runtime, string field, ValidationErrors errors)
    {
        var taskType = value ?? TaskTypes.TextToImage;
        if (!TaskTypes.All.Contains(taskType, StringComparer.Ordinal))
        {
            errors.Add(field, $"Unsupported task type '{CallerText.Shorten(taskType)}'; supported: {string.Join(", ", TaskTypes.All)}.");
            return null;
        }
        if (runtime is not null && !runtime.Serves(taskType))
        {
            errors.Add(field, $"Runtime '{runtime.Name}' ({runtime.Type}) does not serve '{taskType}'; it serves {string.Join(", ", runtime.TaskTypes)}.");
            return null;
        }
        return taskType;
    }

    private GenerationParameters CheckParameters(SubmitTaskRequest request, RuntimeDefinition? runtime, string? taskType, string prefix, string defaultRng, string owner, ValidationErrors errors)
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
            InitImages = request.InitImages is { Count: > 0 } images ? [.. images.Select(image => image is null ? image! : InitImageRules.Normalize(image))] : null,
            // The guidance's clients send "alwayson_scripts": {} by default; an empty object asks for nothing.
            AlwaysOnScripts = request.AlwaysOnScripts is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } scripts
                              && !(scripts.ValueKind == JsonValueKind.Object && !scripts.EnumerateObject().Any()) ? scripts : null,
            ModelCheckpoint = request.ModelCheckpoint,
            Upscaler = request.Upscaler,
            UpscalingResize = request.UpscalingResize,
            Workflow = request.Workflow is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } workflow ? workflow : null,
            Inputs = request.Inputs is { Count: > 0 } inputs
                ? [.. inputs.Select(input => input?.Image is { } image ? input with { Image = InitImageRules.Normalize(image) } : input!)]
                : null,
        };
        var prompting = A1111FieldRules.Check(request, runtime ?? runtimes.Get(defaultRuntime), prefix, errors);
        parameters = parameters with { ClipSkip = prompting.ClipSkip, Emphasis = prompting.Emphasis, A1111Fields = prompting.A1111Fields };
        if (taskType == TaskTypes.ComfyUiWorkflow)
        {
            // A workflow carries its own prompts, sizes and samplers; the A1111 fields do not apply.
            _workflows.Check(parameters.Workflow, parameters.Inputs, (runtime ?? runtimes.Get(defaultRuntime)).EffectiveWorkflows, prefix, owner, errors);
            return parameters;
        }
        if (parameters.Workflow is not null || parameters.Inputs is not null)
        {
            errors.Add(prefix + "workflow", "workflow and inputs apply only to comfyui-workflow tasks.");
        }
        CheckA1111Fields(parameters, runtime, taskType, prefix, errors);
        parameters = NoiseFieldsRule.Apply(request, parameters, defaultRng, prefix, errors);
        parameters = SchedulerFieldRule.Apply(request, parameters, prefix, errors);
        parameters = SamplerFieldsRule.Apply(request, parameters, prefix, errors);
        parameters = HiresFieldRule.Apply(request, parameters, runtime ?? runtimes.Get(defaultRuntime), taskType, prefix, errors);
        if (parameters.Prompt.Length > InputLimits.MaxPromptLength)
        {
            errors.Add(prefix + "prompt", $"prompt is {parameters.Prompt.Length} characters; at most {InputLimits.MaxPromptLength} are allowed.");
        }
        if (parameters.NegativePrompt is { Length: > InputLimits.MaxPromptLength } negative)
        {
            errors.Add(prefix + "negative_prompt", $"negative_prompt is {negative.Length} characters; at most {InputLimits.MaxPromptLength} are allowed.");
        }
        if (parameters.Seed != -1 && parameters.Seed is < 0 or > InputLimits.MaxSeed)
        {
            errors.Add(prefix + "seed", $"seed must be -1 (random) or 0 to {InputLimits.MaxSeed}; got {parameters.Seed}.");
        }
        if (!double.IsFinite(parameters.DenoisingStrength) || parameters.DenoisingStrength is <= 0 or > 1)
        {
            errors.Add(prefix + "denoising_strength", $"denoising_strength must be more than 0 and at most 1; got {parameters.DenoisingStrength}.");
        }
        // An unknown runtime is already named; the default runtime's limits still name every other bad field.
        parameters = CheckAgainstRuntime(parameters, runtime ?? runtimes.Get(defaultRuntime), prefix, errors);
        CheckInitImages(parameters.InitImages, taskType, prefix, owner, errors);
        return parameters;
    }

    /// <summary>The limits the runtime's generator declares in the catalogue: what passes here its worker will not refuse.</summary>
    private static GenerationParameters CheckAgainstRuntime(GenerationParameters parameters, RuntimeDefinition runtime, string prefix, ValidationErrors errors)
    {
        var on = $"on runtime '{runtime.Name}'";
        foreach (var (name, value) in new[] { ("width", parameters.Width), ("height", parameters.Height) })
        {
            if (!runtime.Size.Allows(value))
            {
                errors.Add(prefix + name, $"{name} must be {runtime.Size.Describe()} {on}; got {value}.");
            }
        }
        if (parameters.Steps < 1 || parameters.Steps > runtime.MaxSteps)
        {
            errors.Add(prefix + "steps", $"steps must be 1 to {runtime.MaxSteps} {on}; got {parameters.Steps}.");
        }
        if (!float.IsFinite(parameters.CfgScale) || parameters.CfgScale < 0 || parameters.CfgScale > runtime.MaxCfgScale)
        {
            errors.Add(prefix + "cfg_scale", $"cfg_scale must be 0 to {runtime.MaxCfgScale} {on}; got {parameters.CfgScale}.");
        }
        if (parameters.BatchSize < 1 || parameters.BatchSize > runtime.MaxBatchSize)
        {
            errors.Add(prefix + "batch_size", $"batch_size must be 1 to {runtime.MaxBatchSize} {on}; got {parameters.BatchSize}.");
        }
        if (runtime.CanonicalSampler(parameters.SamplerName) is { } sampler)
        {
            return parameters with { SamplerName = sampler };
        }
        if (SchedulerFieldRule.SplitCombinedName(parameters.SamplerName) is { } split && runtime.CanonicalSampler(split.Sampler) is not null)
        {
            // An old combined name (DPM++ SDE Karras) of a sampler the runtime lists: its worker reads the schedule from it.
            return parameters;
        }
        errors.Add(prefix + "sampler_name", $"Unsupported sampler '{CallerText.Shorten(parameters.SamplerName)}' {on}; supported: {string.Join(", ", runtime.Samplers)}.");
        return parameters;
    }

    /// <summary>Fields only AUTOMATIC1111 understands: refused elsewhere rather than silently dropped.</summary>
    private static void CheckA1111Fields(GenerationParameters parameters, RuntimeDefinition? runtime, string? taskType, string prefix, ValidationErrors errors)
    {
        var a1111 = runtime is null || runtime.Type == RuntimeTypes.A1111;
        if (parameters.AlwaysOnScripts is { } scripts)
        {
            if (!a1111)
            {
                errors.Add(prefix + "alwayson_scripts", $"alwayson_scripts applies to a1111 runtimes only; '{runtime!.Name}' is {runtime.Type}.");
            }
            else
            {
                CheckJsonObject(scripts, prefix + "alwayson_scripts", errors, MaxScriptsBytes);
            }
        }
        if (parameters.ModelCheckpoint is { } checkpoint)
        {
            if (runtime is not null && !runtime.DynamicModel)
            {
                errors.Add(prefix + "sd_model_checkpoint", $"Runtime '{runtime.Name}' serves one model; sd_model_checkpoint needs a runtime with dynamic_model.");
            }
            else if (checkpoint.Length is 0 or > 200)
            {
                errors.Add(prefix + "sd_model_checkpoint", "sd_model_checkpoint must be 1 to 200 characters.");
            }
        }
        if (taskType == TaskTypes.ExtraSingleImage)
        {
            if (string.IsNullOrWhiteSpace(parameters.Upscaler) || parameters.Upscaler.Length > 100)
            {
                errors.Add(prefix + "upscaler_1", "upscaler_1 is required for extra-single-image: the upscaler's name, such as 'R-ESRGAN 4x+'.");
            }
            if (parameters.UpscalingResize is not { } resize || !double.IsFinite(resize) || resize <= 1 || resize > MaxUpscale)
            {
                errors.Add(prefix + "upscaling_resize", $"upscaling_resize is required for extra-single-image: more than 1 and at most {MaxUpscale}.");
            }
            if (parameters.InitImages is { Count: > 1 })
            {
                errors.Add(prefix + "init_images", "extra-single-image takes exactly one image in init_images.");
            }
        }
        else if (parameters.Upscaler is not null || parameters.UpscalingResize is not null)
        {
            errors.Add(prefix + "upscaler_1", "upscaler_1 and upscaling_resize apply only to extra-single-image tasks.");
        }
    }

    private void CheckInitImages(IReadOnlyList<string>? images, string? taskType, string prefix, string owner, ValidationErrors errors)
    {
        var field = prefix + "init_images";
        if (taskType is TaskTypes.ImageToImage or TaskTypes.ExtraSingleImage && images is null)
        {
            errors.Add(field, $"{taskType} needs an image in init_images.");
        }
        if (images is null)
        {
            return;
        }
        if (taskType == TaskTypes.TextToImage)
        {
            errors.Add(field, "init_images apply only to image-to-image and extra-single-image tasks.");
            return;
        }
        if (images.Count > InitImageRules.MaxImages)
        {
            errors.Add(field, $"at most {InitImageRules.MaxImages} init images are allowed; got {images.Count}.");
        }
        for (var i = 0; i < images.Count; i++)
        {
            if (initImages.Check(images[i], owner) is { } problem)
            {
                errors.Add($"{field}[{i}]", $"init_images[{i}] {problem}");
            }
        }
    }

    private static IReadOnlyList<string> CheckWebhookEvents(SubmitTaskRequest request, ValidationErrors errors)
    {
        if (request.WebhookEvents is null)
        {
            return request.CallbackUrl is null ? [] : WebhookEvents.Default;
        }
        if (request.CallbackUrl is null)
        {
            errors.Add("webhook_events", "webhook_events needs a callback_url.");
        }
        if (request.WebhookEvents.Count > InputLimits.MaxWebhookEvents)
        {
            errors.Add("webhook_events", $"webhook_events lists {request.WebhookEvents.Count} events; at most {InputLimits.MaxWebhookEvents} are allowed.");
            return [];
        }
        var unknown = request.WebhookEvents.Where(e => !WebhookEvents.All.Contains(e, StringComparer.Ordinal)).Select(e => CallerText.Shorten(e ?? "null")).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("webhook_events", $"Unknown webhook events: {string.Join(", ", unknown)}; supported: {string.Join(", ", WebhookEvents.All)}.");
        }
        return [.. request.WebhookEvents.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static void CheckJsonObject(JsonElement? value, string field, ValidationErrors errors, int maxBytes, bool objectOnly = true)
    {
        if (value is not { } json || json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return;
        }
        if (objectOnly && json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, $"{field} must be a JSON object.");
        }
        else if (System.Text.Encoding.UTF8.GetByteCount(json.GetRawText()) > maxBytes)
        {
            errors.Add(field, $"{field} must be at most {maxBytes} bytes of JSON.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_./-]{1,200}$")]
    private static partial Regex PrefixPattern();
}
