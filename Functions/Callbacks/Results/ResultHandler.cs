using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.Functions.Callbacks.Webhooks;
using SdServerless.Functions.Quotas;
using SdServerless.Functions.Tasks.Live;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Callbacks.Results;

/// <summary>
/// A task's result (<see cref="ImageGenerated"/>): records the terminal state unless the task already has one (the
/// worker normally wrote it before publishing), frees the task's in-flight quota slot (every end, wherever it happened,
/// comes through here: worker, dead letters, expiry, the sweep), tells waiters (<see cref="TaskSignals"/>: this
/// process's, and through the task channel other instances'), then delivers the end webhook when the task asked for it. The event
/// follows the state in the table, which wins over the message (a cancel that came first stays a cancel).
/// </summary>
public sealed partial class ResultHandler(TaskTable tasks, WebhookDelivery webhooks, TaskSignals signals, QuotaGate quotas, ILogger<ResultHandler> logger)
{
    public async Task<RecordOutcome> HandleAsync(SqsRecord record, CancellationToken cancellationToken)
    {
        var result = Parse(record.Body);
        if (result is null)
        {
            LogUnreadable(logger, record.MessageId);
            return RecordOutcome.Retry;
        }
        var task = await tasks.GetAsync(result.Id, cancellationToken);
        if (task is null)
        {
            LogMissing(logger, result.Id);
            return RecordOutcome.Completed;
        }
        if (!TaskStatuses.IsTerminal(task.Status))
        {
            if (await tasks.CompleteAsync(task.Id, result.State, result.Outputs ?? [], result.Error, result.PromptTokens, result.FinishedAt, cancellationToken))
            {
                LogRecorded(logger, task.Id, result.State);
            }
            task = await tasks.GetAsync(task.Id, cancellationToken);
            if (task is null)
            {
                return RecordOutcome.Completed;
            }
        }
        // Idempotent, so a redelivered result or a cancel that released it first changes nothing.
        await quotas.ReleaseAsync(task, cancellationToken);
        await signals.PublishAsync(new TaskSignal(task.Id, TaskSignalKind.Ended), cancellationToken);
        return !WebhookRequest.AskedFor(task, WebhookEvents.Completed)
            ? RecordOutcome.Completed
            : WebhookRecordOutcome.Of(await webhooks.DeliverAsync(task, WebhookSlot.Completed, WebhookEventNames.ForTerminal(task.Status), record.MessageId, cancellationToken));
    }

    private static ImageGenerated? Parse(string body) =>
        MessageBody.TryRead(body, ContractsJsonContext.Default.ImageGenerated) is { Id.Length: > 0, State: { } state } message
        && TaskStatuses.IsTerminal(state)
            ? message
            : null;

    [LoggerMessage(LogLevel.Error, "Result message {MessageId} is not a task result; it stays on the queue for the results dead-letter queue")]
    private static partial void LogUnreadable(ILogger logger, string messageId);

    [LoggerMessage(LogLevel.Warning, "Result for task {TaskId}, which is not in the table (expired or never written); nothing to do")]
    private static partial void LogMissing(ILogger logger, string taskId);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} ended {Status} from its result message")]
    private static partial void LogRecorded(ILogger logger, string taskId, string status);
}
