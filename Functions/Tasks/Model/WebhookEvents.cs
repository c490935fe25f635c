using SdServerless.Contracts.Messages;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>The webhook notifications a client may ask for; <see cref="Default"/> when it names none.</summary>
public static class WebhookEvents
{
    public const string Start = TaskStarted.RequestedBy;
    public const string Completed = "completed";

    /// <summary><c>task.progress</c> while the task runs, at most one per task every few seconds, best effort (docs/decisions/0333).</summary>
    public const string Progress = TaskProgressed.RequestedBy;

    public static readonly IReadOnlyList<string> All = [Start, Progress, Completed];

    /// <summary>What a task with a <c>callback_url</c> and no <c>webhook_events</c> gets: its end only.</summary>
    public static readonly IReadOnlyList<string> Default = [Completed];
}
