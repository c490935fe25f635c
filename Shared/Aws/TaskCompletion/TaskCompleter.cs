using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskCompletion;

/// <summary>
/// Ends a task and publishes its end on the results topic once, wherever it ends (the worker, the dead-letter handler):
/// the terminal state is a conditional write, so only the first writer's end counts; whoever ends the task publishes
/// its result, and anyone who finds it ended by another publishes what the table says unless that was published
/// already. Each publication is marked on the task, so a redelivered message does not publish a second result.
/// </summary>
public sealed class TaskCompleter(TaskTable tasks, ResultPublications publications, ResultTopic results, TimeProvider time)
{
    /// <summary>
    /// Ends the task in <paramref name="end"/>'s state unless it ended already. When this call ended it, the result
    /// published is <paramref name="result"/> (given the end time) or, without one, the task as the table now records it.
    /// </summary>
    public async Task<CompletionOutcome> CompleteAsync(
        string id, TaskEnd end, Func<DateTimeOffset, ImageGenerated>? result, CancellationToken cancellationToken)
    {
        var finishedAt = time.GetUtcNow();
        if (!await tasks.CompleteAsync(id, end.State, end.Outputs, end.Error, end.PromptTokens, finishedAt, cancellationToken))
        {
            // Another delivery or a cancel ended it first: report what the table says, once.
            return new CompletionOutcome(EndedHere: false, await PublishEndOnceAsync(id, cancellationToken));
        }
        if (result is not null)
        {
            return new CompletionOutcome(EndedHere: true, await PublishAsync(result(finishedAt), cancellationToken));
        }
        var record = await tasks.GetAsync(id, cancellationToken);
        return new CompletionOutcome(EndedHere: true,
            record is not null && TaskStatuses.IsTerminal(record.Status) ? await PublishAsync(ResultMessages.FromRecord(record), cancellationToken) : null);
    }

    /// <summary>Publishes the end of a task that has ended, unless it was published already; null when nothing was published.</summary>
    public async Task<ImageGenerated?> PublishEndOnceAsync(string id, CancellationToken cancellationToken)
    {
        var record = await tasks.GetAsync(id, cancellationToken);
        return record is null ? null : await PublishEndOnceAsync(record, cancellationToken);
    }

    /// <summary>Publishes the end that <paramref name="record"/> holds, when it is terminal and was not published yet.</summary>
    public async Task<ImageGenerated?> PublishEndOnceAsync(TaskRecord record, CancellationToken cancellationToken)
    {
        if (!TaskStatuses.IsTerminal(record.Status) || await publications.IsPublishedAsync(record.Id, cancellationToken))
        {
            return null;
        }
        return await PublishAsync(ResultMessages.FromRecord(record), cancellationToken);
    }

    private async Task<ImageGenerated> PublishAsync(ImageGenerated result, CancellationToken cancellationToken)
    {
        await results.PublishAsync(result, cancellationToken);
        await publications.MarkPublishedAsync(result.Id, time.GetUtcNow(), cancellationToken);
        return result;
    }
}
