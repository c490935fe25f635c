using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskStore;

/// <summary>Whether a task's result has been published on the results topic (the worker and the dead-letter handler both mark it).</summary>
public sealed class ResultPublications(IAmazonDynamoDB dynamoDb, string tableName)
{
    public async Task<bool> IsPublishedAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            ConsistentRead = true,
            ProjectionExpression = "#p",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#p"] = TaskAttributes.ResultPublishedAt },
        }, cancellationToken);
        return response.Item is { } item && item.ContainsKey(TaskAttributes.ResultPublishedAt);
    }

    public async Task MarkPublishedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = Key(id),
                UpdateExpression = "SET #p = :at",
                ConditionExpression = "attribute_exists(#id)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#p"] = TaskAttributes.ResultPublishedAt, ["#id"] = TaskAttributes.Id },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":at"] = TaskItemMapper.S(TaskTimestamps.Format(at)) },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The item expired or was removed; nothing to mark.
        }
    }

    private static Dictionary<string, AttributeValue> Key(string id) => new() { [TaskAttributes.Id] = TaskItemMapper.S(id) };
}
