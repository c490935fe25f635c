using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
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
    public const string QueuedStartByIndex = "queued-start-by";

    private static readonly Dictionary<string, string> StartByName = new() { ["#start_by"] = TaskAttributes.QueuedStartBy };

    /// <summary>Ids of up to <paramref name="limit"/> tasks whose latest start is before <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<string>> ListPastStartAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamoDb.ScanAsync(new ScanRequest
            {
                TableName = tableName,
                IndexName = QueuedStartByIndex,
                // The value starts with the latest start in the table's fixed-width format, so it compares as a time.
                FilterExpression = "#start_by < :now",
                ExpressionAttributeNames = StartByName,
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":now"] = TaskItemMapper.S(TaskTimestamps.Format(now)) },
                ExclusiveStartKey = start,
            }, cancellationToken);
            ids.AddRange((response.Items ?? []).Select(item => item[TaskAttributes.Id].S));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null && ids.Count < limit);
        return [.. ids.Take(limit)];
    }

    /// <summary>Takes a task that is no longer queued out of the index; nothing is written for a task that is gone.</summary>
    public Task ClearAsync(string id, CancellationToken cancellationToken) =>
        ConditionalUpdate.TryAsync(dynamoDb, new UpdateItemRequest
        {
            TableName = tableName,
            Key = TaskItemMapper.Key(id),
            UpdateExpression = "REMOVE #start_by",
            ConditionExpression = "attribute_exists(#id)",
            ExpressionAttributeNames = new Dictionary<string, string>(StartByName) { ["#id"] = TaskAttributes.Id },
        }, cancellationToken);
}
