using Amazon.DynamoDBv2;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// Tasks whose message may never have been published, through the table's sparse <c>publish-pending</c> index: the API
/// writes every task with <see cref="TaskAttributes.PublishPending"/> (its sort key, which starts with its created time)
/// and removes it after the publish, so the index holds only tasks in flight and those left behind by a function that
/// died in between (docs/decisions/0341).
/// </summary>
public sealed class UnpublishedTasks(IAmazonDynamoDB dynamoDb, string tableName)
{
    private readonly SparseTaskIndex _index = new(dynamoDb, tableName, TaskIndexes.PublishPending, TaskAttributes.PublishPending);

    /// <summary>Removes the mark; nothing is written for a task that is gone.</summary>
    public Task MarkPublishedAsync(string id, CancellationToken cancellationToken) => _index.RemoveAsync(id, cancellationToken);

    /// <summary>Ids of up to <paramref name="limit"/> tasks written before <paramref name="before"/> and still marked.</summary>
    public Task<IReadOnlyList<string>> ListAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        _index.ListBeforeAsync(before, limit, cancellationToken);
}
