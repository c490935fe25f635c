using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.Functions.Tasks.Live;

namespace SdServerless.Functions.Callbacks.Results;

/// <summary>
/// A worker recorded a running task's progress (<see cref="TaskProgressed"/>): tells this process's waiters and event
/// streams. Progress is best effort and soon stale, so an unreadable one is dropped rather than kept for another attempt.
/// </summary>
public sealed partial class ProgressHandler(TaskSignals signals, ILogger<ProgressHandler> logger)
{
    public Task<RecordOutcome> HandleAsync(SqsRecord record, CancellationToken cancellationToken)
    {
        var progress = MessageBody.TryRead(record.Body, ContractsJsonContext.Default.TaskProgressed);
        if (progress is not { Id.Length: > 0, Steps: > 0 })
        {
            LogUnreadable(logger, record.MessageId);
            return Task.FromResult(RecordOutcome.Completed);
        }
        signals.Publish(new TaskSignal(progress.Id, TaskSignalKind.Progress, progress.Step, progress.Steps, progress.At));
        return Task.FromResult(RecordOutcome.Completed);
    }

    [LoggerMessage(LogLevel.Warning, "Message {MessageId} says task.progress but is not a progress notification; dropped")]
    private static partial void LogUnreadable(ILogger logger, string messageId);
}
