using Amazon.DynamoDBv2;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Callbacks.Sweep;

/// <summary>
/// Queued tasks that can expire, through the table's sparse <c>queued-start-by</c> index: a task is written with
/// <see cref="TaskAttributes.QueuedStartBy"/> (its latest start, then its id) and loses it when it starts or ends, so
/// the index holds only queued tasks with a clock (docs/decisions/0338).
/// </summary>
public sealed class ExpirableTasks(IAmazonDynamoDB dynamoDb, string tableName)
{
    private readonly SparseTaskIndex _index = new(dynamoDb, tableName, TaskIndexes.QueuedStartBy, TaskAttributes.QueuedStartBy);

    /// <summary>Ids of up to <paramref name="limit"/> tasks whose latest start is before <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<string>> ListPastStartAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        _index.ListBeforeAsync(now, limit, cancellationToken);

    /// <summary>Takes a task that is no longer queued out of the index; nothing is written for a task that is gone.</summary>
    public Task ClearAsync(string id, CancellationToken cancellationToken) => _index.RemoveAsync(id, cancellationToken);
}
