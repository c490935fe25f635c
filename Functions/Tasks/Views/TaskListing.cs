using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Views;

/// <summary>A caller's tasks through the table's by-owner index, a page at a time (the API's list route).</summary>
public sealed class TaskListing(IAmazonDynamoDB dynamoDb, string tableName)
{
    /// <summary>The owner's tasks, newest first, optionally only those in <paramref name="status"/>.</summary>
    /// <exception cref="ArgumentException">The cursor is not one this table handed out.</exception>
    public async Task<TaskPage> ListByOwnerAsync(string owner, string? status, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var startKey = cursor is null
            ? null
            : TaskPageCursor.TryDecode(cursor, owner) ?? throw new ArgumentException("The cursor is not valid.", nameof(cursor));
        var tasks = new List<TaskRecord>(limit);
        // A status filter is applied after the read, so one read may fill less than a page: read on, a few times at most.
        for (var round = 0; round < 5; round++)
        {
            var request = new QueryRequest
            {
                TableName = tableName,
                IndexName = TaskIndexes.ByOwner,
                KeyConditionExpression = "#owner = :owner",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#owner"] = TaskAttributes.Owner },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":owner"] = TaskItemMapper.S(owner) },
                ScanIndexForward = false,
                Limit = limit - tasks.Count,
                ExclusiveStartKey = startKey,
            };
            if (status is not null)
            {
                request.FilterExpression = "#status = :status";
                request.ExpressionAttributeNames["#status"] = TaskAttributes.Status;
                request.ExpressionAttributeValues[":status"] = TaskItemMapper.S(status);
            }
            var response = await dynamoDb.QueryAsync(request, cancellationToken);
            tasks.AddRange((response.Items ?? []).Select(TaskItemMapper.FromItem));
            startKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            if (startKey is null || tasks.Count >= limit)
            {
                break;
            }
        }
        return new TaskPage(tasks, startKey is null ? null : TaskPageCursor.Encode(startKey));
    }
}
