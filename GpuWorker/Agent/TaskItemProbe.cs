using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Contracts.Tasks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Small reads and marks on a task item that the worker makes between the table's state transitions: the status
/// alone (a cheap cancel check), and whether the task's result has been published (so a redelivered message after a
/// crash publishes it once, not twice).
/// </summary>
public sealed class TaskItemProbe(IAmazonDynamoDB dynamoDb, string tableName)
{
    public const string ResultPublishedAt = TaskAttributes.ResultPublishedAt;

    public async Task<(string? Status, bool ResultPublished)> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            ConsistentRead = true,
            ProjectionExpression = "#s, #p",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = TaskAttributes.Status, ["#p"] = ResultPublishedAt },
        }, cancellationToken);
        var item = response.Item;
        if (item is null || item.Count == 0)
        {
            return (null, false);
        }
        return (item.TryGetValue(TaskAttributes.Status, out var status) ? status.S : null, item.ContainsKey(ResultPublishedAt));
    }

    public async Task MarkResultPublishedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = Key(id),
                UpdateExpression = "SET #p = :at",
                ConditionExpression = "attribute_exists(#id)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#p"] = ResultPublishedAt, ["#id"] = TaskAttributes.Id },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":at"] = new() { S = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) },
                },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The item expired or was removed; nothing to mark.
        }
    }

    private static Dictionary<string, AttributeValue> Key(string id) => new() { [TaskAttributes.Id] = new AttributeValue { S = id } };
}
