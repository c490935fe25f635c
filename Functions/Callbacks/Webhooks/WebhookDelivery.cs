using SdServerless.Aws.TaskStore;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>
/// Delivers one webhook of a task on behalf of one SQS message: claims the attempt on the task item (so copies of the
/// message send nothing), signs and sends, records the attempt on the task, and says when the message should come back
/// for the next attempt. The <c>webhook-id</c> is fixed per task event, so it is the same on every retry.
/// </summary>
public sealed partial class WebhookDelivery(
    WebhookDeliveryTable deliveries,
    WebhookSender sender,
    WebhookSecrets secrets,
    WebhookRetrySchedule schedule,
    TaskViewFactory views,
    TimeSpan lease,
    TimeProvider time,
    ILogger<WebhookDelivery> logger)
{
    public static string WebhookId(string taskId, WebhookSlot slot) => $"msg_{taskId}_{slot.Name}";

    public async Task<WebhookOutcome> DeliverAsync(TaskRecord task, WebhookSlot slot, string eventName, string messageId, CancellationToken cancellationToken)
    {
        var url = task.CallbackUrl ?? throw new ArgumentException("The task has no callback_url.", nameof(task));
        var claim = await deliveries.ClaimAsync(task.Id, slot, eventName, messageId, time.GetUtcNow(), lease, cancellationToken);
        switch (claim.Result)
        {
            case WebhookClaimResult.Settled or WebhookClaimResult.Missing:
                LogSettled(logger, eventName, task.Id, messageId);
                return WebhookOutcome.Finished;
            case WebhookClaimResult.InFlight:
                LogInFlight(logger, eventName, task.Id);
                return WebhookOutcome.Retry;
        }

        var attempt = claim.PreviousAttempts + 1;
        var webhookId = WebhookId(task.Id, slot);
        var keys = secrets.KeysFor(task.Owner);
        var result = keys.Count == 0
            ? WebhookAttempt.Rejected("No webhook signing secret is configured for this task's API key (Webhooks:Secrets).")
            : await sender.SendAsync(url, webhookId, WebhookPayload.Create(eventName, views.Create(task)), keys, cancellationToken);

        var now = time.GetUtcNow();
        if (result.Result == WebhookAttemptResult.Delivered)
        {
            await deliveries.RecordDeliveredAsync(task.Id, slot, messageId, now, cancellationToken);
            LogDelivered(logger, eventName, task.Id, webhookId, attempt);
            FunctionsMetrics.WebhookAttempted(eventName, "delivered");
            return WebhookOutcome.Finished;
        }
        var delay = result.Result == WebhookAttemptResult.Failed ? schedule.DelayAfter(attempt) : null;
        await deliveries.RecordFailedAsync(task.Id, slot, messageId, result.Error!, giveUp: delay is null, now, cancellationToken);
        if (delay is { } wait)
        {
            LogRetry(logger, eventName, task.Id, attempt, result.Error!, wait);
            FunctionsMetrics.WebhookAttempted(eventName, "retrying");
            return WebhookOutcome.RetryIn(wait);
        }
        LogGaveUp(logger, eventName, task.Id, attempt, result.Error!);
        FunctionsMetrics.WebhookAttempted(eventName, "failed");
        return WebhookOutcome.Finished;
    }

    [LoggerMessage(LogLevel.Information, "Webhook {Event} of task {TaskId} delivered as {WebhookId} on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string @event, string taskId, string webhookId, int attempt);

    [LoggerMessage(LogLevel.Warning, "Webhook {Event} of task {TaskId} failed on attempt {Attempt}: {Error}; next attempt in {Delay}")]
    private static partial void LogRetry(ILogger logger, string @event, string taskId, int attempt, string error, TimeSpan delay);

    [LoggerMessage(LogLevel.Warning, "Webhook {Event} of task {TaskId} given up after attempt {Attempt}: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string @event, string taskId, int attempt, string error);

    [LoggerMessage(LogLevel.Information, "Webhook {Event} of task {TaskId} is already delivered, given up or owned by another message; message {MessageId} sends nothing")]
    private static partial void LogSettled(ILogger logger, string @event, string taskId, string messageId);

    [LoggerMessage(LogLevel.Information, "Webhook {Event} of task {TaskId} has an attempt in flight; this delivery of its message waits")]
    private static partial void LogInFlight(ILogger logger, string @event, string taskId);
}
