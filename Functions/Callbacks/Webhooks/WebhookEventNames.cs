using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>The <c>event</c> of a webhook: <c>task.started</c>, or <c>task.</c> + the terminal status.</summary>
public static class WebhookEventNames
{
    public const string Started = TaskStarted.EventName;
    public const string Succeeded = "task." + TaskStatuses.Succeeded;
    public const string Failed = "task." + TaskStatuses.Failed;
    public const string Canceled = "task." + TaskStatuses.Canceled;
    public const string Expired = "task." + TaskStatuses.Expired;

    public static string ForTerminal(string status) =>
        TaskStatuses.IsTerminal(status) ? "task." + status : throw new ArgumentException($"'{status}' is not a terminal status.", nameof(status));
}
