using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Contracts.Tasks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>A consistent read of a task's status alone: the cheap cancel check the worker makes between progress writes.</summary>
public sealed class TaskItemProbe(IAmazonDynamoDB dynamoDb, string tableName)
{
    public async Task<string?> StatusAsync(string id, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = new Dictionary<string, AttributeValue> { [TaskAttributes.Id] = new() { S = id } },
            ConsistentRead = true,
            ProjectionExpression = "#s",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = TaskAttributes.Status },
        }, cancellationToken);
        return response.Item is { } item && item.TryGetValue(TaskAttributes.Status, out var status) ? status.S : null;
    }
}
