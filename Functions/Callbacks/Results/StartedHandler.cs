using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.Functions.Callbacks.Webhooks;
using SdServerless.Functions.Tasks.Live;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Callbacks.Results;

/// <summary>
/// A worker started a task (<see cref="TaskStarted"/>): delivers <c>task.started</c> when the task asked for the
/// <c>start</c> webhook. Once the task has ended, its start is old news and nothing more is sent for it.
/// </summary>
public sealed partial class StartedHandler(TaskTable tasks, WebhookDelivery webhooks, TaskSignals signals, ILogger<StartedHandler> logger)
{
    public async Task<RecordOutcome> HandleAsync(SqsRecord record, CancellationToken cancellationToken)
    {
        var started = MessageBody.TryRead(record.Body, ContractsJsonContext.Default.TaskStarted);
        if (started is not { Id.Length: > 0 })
        {
            LogUnreadable(logger, record.MessageId);
            return RecordOutcome.Retry;
        }
        await signals.PublishAsync(new TaskSignal(started.Id, TaskSignalKind.Started), cancellationToken);
        var task = await tasks.GetAsync(started.Id, cancellationToken);
        return task is null || task.Status != TaskStatuses.Running || !WebhookRequest.AskedFor(task, WebhookEvents.Start)
            ? RecordOutcome.Completed
            : WebhookRecordOutcome.Of(await webhooks.DeliverAsync(task, WebhookSlot.Started, WebhookEventNames.Started, record.MessageId, cancellationToken));
    }

    [LoggerMessage(LogLevel.Error, "Message {MessageId} says task.started but is not a start notification; it stays on the queue for the results dead-letter queue")]
    private static partial void LogUnreadable(ILogger logger, string messageId);
}
