using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace SdServerless.Aws.TaskStore;

/// <summary>A conditional write on a task item, the only kind of change the tasks table takes: applied, or refused by its condition.</summary>
public static class ConditionalUpdate
{
    /// <summary>True when the update was applied; false when its condition did not hold (nothing was written).</summary>
    public static async Task<bool> TryAsync(IAmazonDynamoDB dynamoDb, UpdateItemRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.UpdateItemAsync(request, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }
}
