using System.Text.Json;
using SdServerless.Aws.TaskCompletion;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.Functions.Hosting;

namespace SdServerless.Functions.Callbacks.DeadLetters;

/// <summary>
/// A task message that workers received the queue's <c>maxReceiveCount</c> times without finishing: the task ends
/// failed with <c>retries_exhausted</c> (unless it ended meanwhile) and its result is published on the results topic,
/// whose message then comes back through the results queue and fires the webhook like any other result.
/// </summary>
public sealed partial class DeadLetterHandler(TaskTable tasks, TaskCompleter completion, ILogger<DeadLetterHandler> logger)
{
    public const string ErrorCode = "retries_exhausted";

    public async Task<RecordOutcome> HandleAsync(SqsRecord record, string runtime, CancellationToken cancellationToken)
    {
        var id = TaskId(record.Body);
        if (id is null)
        {
            LogUnreadable(logger, runtime, record.MessageId, record.Body.Length);
            return RecordOutcome.Completed;
        }
        var task = await tasks.GetAsync(id, cancellationToken);
        if (task is null)
        {
            LogMissing(logger, id, runtime);
            return RecordOutcome.Completed;
        }
        var error = new TaskError(ErrorCode,
            $"Workers of runtime '{runtime}' took the task repeatedly without finishing it; its message was moved to the dead-letter queue.");
        var outcome = await completion.CompleteAsync(id, TaskEnd.Failed(error), result: null, cancellationToken);
        if (outcome.EndedHere)
        {
            LogFailed(logger, id, runtime);
            FunctionsMetrics.DeadLetterArrived(runtime);
        }
        return RecordOutcome.Completed;
    }

    /// <summary>The <c>id</c> of a task message, whole or a claim-check pointer; null when the body is no task message.</summary>
    private static string? TaskId(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                   && id.GetString() is { Length: > 0 } value
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} failed: its message reached the dead-letter queue of runtime {Runtime}")]
    private static partial void LogFailed(ILogger logger, string taskId, string runtime);

    [LoggerMessage(LogLevel.Error, "Dead letter {MessageId} of runtime {Runtime} is not a task message ({Length} characters); it is dropped")]
    private static partial void LogUnreadable(ILogger logger, string runtime, string messageId, int length);

    [LoggerMessage(LogLevel.Warning, "Dead letter for task {TaskId} of runtime {Runtime}, which is not in the table; it is dropped")]
    private static partial void LogMissing(ILogger logger, string taskId, string runtime);
}
