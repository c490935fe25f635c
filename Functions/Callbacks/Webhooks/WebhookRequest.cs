using SdServerless.Aws.TaskStore;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>What a task asked for at submit: a webhook for an event goes out only with a callback URL and that event listed.</summary>
public static class WebhookRequest
{
    public static bool AskedFor(TaskRecord task, string clientEvent) =>
        task.CallbackUrl is not null && task.WebhookEvents.Contains(clientEvent, StringComparer.Ordinal);
}
