using SdServerless.Contracts.Messages;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>
/// Sends <c>task.progress</c> for a worker's progress message when the task asked for it and the
/// <see cref="ProgressWebhookGate"/> lets it through: one signed attempt, never retried, its outcome only logged. A
/// progress webhook is stale by the time a retry would be due, and the end webhook has its own message and slot, so a
/// failed one delays nothing (docs/decisions/0333).
/// </summary>
public sealed partial class ProgressWebhook(
    ProgressWebhookGate gate,
    WebhookSender sender,
    WebhookSecrets secrets,
    TaskViewFactory views,
    TimeProvider time,
    ILogger<ProgressWebhook> logger)
{
    /// <summary><c>msg_{task id}_progress_{step}</c>: one id per progress point, so receivers can drop a repeat.</summary>
    public static string WebhookId(TaskProgressed progress) => $"msg_{progress.Id}_progress_{progress.Step}";

    public async Task SendAsync(TaskProgressed progress, CancellationToken cancellationToken)
    {
        var task = await gate.TryPassAsync(progress.Id, time.GetUtcNow(), cancellationToken);
        if (task?.CallbackUrl is not { } url)
        {
            return;
        }
        var keys = secrets.KeysFor(task.Owner);
        if (keys.Count == 0)
        {
            LogNoSecret(logger, progress.Id);
            return;
        }
        var webhookId = WebhookId(progress);
        var result = await sender.SendAsync(url, webhookId, WebhookPayload.Create(TaskProgressed.EventName, views.Create(task)), keys, cancellationToken);
        if (result.Result == WebhookAttemptResult.Delivered)
        {
            LogDelivered(logger, progress.Id, webhookId, progress.Step, progress.Steps);
            FunctionsMetrics.WebhookAttempted(TaskProgressed.EventName, "delivered");
            return;
        }
        LogNotDelivered(logger, progress.Id, webhookId, result.Error!);
        FunctionsMetrics.WebhookAttempted(TaskProgressed.EventName, "failed");
    }

    [LoggerMessage(LogLevel.Information, "Webhook task.progress of task {TaskId} delivered as {WebhookId} at step {Step} of {Steps}")]
    private static partial void LogDelivered(ILogger logger, string taskId, string webhookId, int step, int steps);

    [LoggerMessage(LogLevel.Warning, "Webhook task.progress of task {TaskId} ({WebhookId}) not delivered: {Error}; progress webhooks are not retried")]
    private static partial void LogNotDelivered(ILogger logger, string taskId, string webhookId, string error);

    [LoggerMessage(LogLevel.Warning, "Webhook task.progress of task {TaskId} not sent: no webhook signing secret is configured for its API key")]
    private static partial void LogNoSecret(ILogger logger, string taskId);
}
