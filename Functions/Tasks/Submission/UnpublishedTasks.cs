using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// Tasks whose message may never have been published, through the table's sparse <c>publish-pending</c> index: the API
/// writes every task with <see cref="TaskAttributes.PublishPending"/> and removes it after the publish, so the index
/// holds only tasks in flight and those left behind by a function that died in between (docs/decisions/0341).
/// </summary>
public sealed class UnpublishedTasks(IAmazonDynamoDB dynamoDb, string tableName)
{
    public const string PublishPendingIndex = "publish-pending";

    private static readonly Dictionary<string, string> PendingName = new() { ["#pending"] = TaskAttributes.PublishPending };

    /// <summary>Removes the mark; nothing is written for a task that is gone.</summary>
    public Task MarkPublishedAsync(string id, CancellationToken cancellationToken) =>
        ConditionalUpdate.TryAsync(dynamoDb, new UpdateItemRequest
        {
            TableName = tableName,
            Key = TaskItemMapper.Key(id),
            UpdateExpression = "REMOVE #pending",
            ConditionExpression = "attribute_exists(#id)",
            ExpressionAttributeNames = new Dictionary<string, string>(PendingName) { ["#id"] = TaskAttributes.Id },
        }, cancellationToken);

    /// <summary>Ids of up to <paramref name="limit"/> tasks written before <paramref name="before"/> and still marked.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamoDb.ScanAsync(new ScanRequest
            {
                TableName = tableName,
                IndexName = PublishPendingIndex,
                // The mark is the task's sort key, which starts with its created time, so it compares as a time.
                FilterExpression = "#pending < :before",
                ExpressionAttributeNames = PendingName,
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":before"] = TaskItemMapper.S(TaskTimestamps.Format(before)) },
                ExclusiveStartKey = start,
            }, cancellationToken);
            ids.AddRange((response.Items ?? []).Select(item => item[TaskAttributes.Id].S));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null && ids.Count < limit);
        return [.. ids.Take(limit)];
    }
}
