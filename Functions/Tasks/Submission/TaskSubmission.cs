using System.Text.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>A validated, normalized request to run a task, whichever route it came in on.</summary>
public sealed record TaskSubmission
{
    /// <summary>The id the client chose (<c>/v1alpha2</c>); null means we mint one.</summary>
    public string? TaskId { get; init; }

    public required string Runtime { get; init; }

    public required string TaskType { get; init; }

    /// <summary>Every field set, defaults applied, sampler in its canonical spelling.</summary>
    public required GenerationParameters Parameters { get; init; }

    public required string OutputPrefix { get; init; }

    public string? CallbackUrl { get; init; }

    public IReadOnlyList<string> WebhookEvents { get; init; } = [];

    public JsonElement? Metadata { get; init; }

    public JsonElement? Context { get; init; }

    /// <summary>The failed, canceled or expired task this submission retries; null for a new request.</summary>
    public string? RetryOf { get; init; }

    /// <summary>The client's deadline and the latest start (docs/decisions/0335).</summary>
    public TaskTiming Timing { get; init; } = TaskTiming.None;

    /// <summary>One of <see cref="TaskPriorities"/>.</summary>
    public string Priority { get; init; } = TaskPriorities.Normal;

    /// <summary>The output retention asked for (<c>expires_after</c>); null keeps the bucket's default (docs/decisions/0347).</summary>
    public RetentionChoice? Retention { get; init; }
}
