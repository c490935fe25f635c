using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.Functions.Callbacks.Webhooks;
using SdServerless.Functions.Tasks.Live;

namespace SdServerless.Functions.Callbacks.Results;

/// <summary>
/// A worker recorded a running task's progress (<see cref="TaskProgressed"/>): tells waiters and event
/// streams, then sends the <c>task.progress</c> webhook when the task asked for it and its rate limit allows. Progress is
/// best effort and soon stale, so an unreadable message or a failed webhook is dropped rather than kept for another attempt.
/// </summary>
public sealed partial class ProgressHandler(TaskSignals signals, ProgressWebhook webhook, ILogger<ProgressHandler> logger)
{
    public async Task<RecordOutcome> HandleAsync(SqsRecord record, CancellationToken cancellationToken)
    {
        var progress = MessageBody.TryRead(record.Body, ContractsJsonContext.Default.TaskProgressed);
        if (progress is not { Id.Length: > 0, Steps: > 0 })
        {
            LogUnreadable(logger, record.MessageId);
            return RecordOutcome.Completed;
        }
        await signals.PublishAsync(new TaskSignal(progress.Id, TaskSignalKind.Progress, progress.Step, progress.Steps, progress.At), cancellationToken);
        try
        {
            await webhook.SendAsync(progress, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogWebhookFailed(logger, ex, progress.Id);
        }
        return RecordOutcome.Completed;
    }

    [LoggerMessage(LogLevel.Warning, "Message {MessageId} says task.progress but is not a progress notification; dropped")]
    private static partial void LogUnreadable(ILogger logger, string messageId);

    [LoggerMessage(LogLevel.Warning, "The task.progress webhook of task {TaskId} was not sent; progress webhooks are best effort")]
    private static partial void LogWebhookFailed(ILogger logger, Exception exception, string taskId);
}
