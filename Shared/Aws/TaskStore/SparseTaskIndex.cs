using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskStore;

/// <summary>
/// A sparse index of the tasks table keyed on one attribute that a task holds only while something is pending for it
/// (<c>publish-pending</c>, <c>queued-start-by</c>): scanning it costs what is pending, not the table's size. Values
/// begin with a time in <see cref="TaskTimestamps"/>' fixed-width format, so they compare as times.
/// </summary>
public sealed class SparseTaskIndex(IAmazonDynamoDB dynamoDb, string tableName, string indexName, string attribute)
{
    private readonly Dictionary<string, string> _attributeName = new() { ["#marked"] = attribute };

    /// <summary>Ids of up to <paramref name="limit"/> tasks whose value begins with a time before <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<string>> ListBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await dynamoDb.ScanAsync(new ScanRequest
            {
                TableName = tableName,
                IndexName = indexName,
                FilterExpression = "#marked < :before",
                ExpressionAttributeNames = _attributeName,
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":before"] = TaskItemMapper.S(TaskTimestamps.Format(before)) },
                ExclusiveStartKey = start,
            }, cancellationToken);
            ids.AddRange((response.Items ?? []).Select(item => item[TaskAttributes.Id].S));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null && ids.Count < limit);
        return [.. ids.Take(limit)];
    }

    /// <summary>Takes the task out of the index; nothing is written for a task that is gone.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        ConditionalUpdate.TryAsync(dynamoDb, new UpdateItemRequest
        {
            TableName = tableName,
            Key = TaskItemMapper.Key(id),
            UpdateExpression = "REMOVE #marked",
            ConditionExpression = "attribute_exists(#id)",
            ExpressionAttributeNames = new Dictionary<string, string>(_attributeName) { ["#id"] = TaskAttributes.Id },
        }, cancellationToken);
}
