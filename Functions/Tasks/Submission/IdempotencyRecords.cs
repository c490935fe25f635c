using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Contracts.Tasks;

using SdServerless.Aws.TaskStore;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// <c>Idempotency-Key</c> records, kept in the tasks table under <c>idem#{owner}#{key}</c> (no owner or sort key
/// attributes, so they stay out of the by-owner index). A record names the task the key made and that request's hash;
/// it is valid until its <c>expires_at</c>, checked on every read because DynamoDB's TTL deletes late.
/// </summary>
public sealed class IdempotencyRecords(IAmazonDynamoDB dynamoDb, string tableName)
{
    private const string TaskIdAttribute = "task_id";

    /// <summary>
    /// Claims <paramref name="key"/> for a new task <paramref name="taskId"/>; when a live claim exists it comes back
    /// instead (its task id and request hash), and nothing is written.
    /// </summary>
    public async Task<IdempotencyClaim> ClaimAsync(
        string owner, string key, string taskId, string requestHash, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        var id = RecordId(owner, key);
        try
        {
            await dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = new Dictionary<string, AttributeValue>
                {
                    [TaskAttributes.Id] = TaskItemMapper.S(id),
                    [TaskIdAttribute] = TaskItemMapper.S(taskId),
                    [TaskAttributes.RequestHash] = TaskItemMapper.S(requestHash),
                    [TaskAttributes.ExpiresAt] = TaskItemMapper.N((now + window).ToUnixTimeSeconds()),
                },
                ConditionExpression = "attribute_not_exists(#id) OR #expires <= :now",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#id"] = TaskAttributes.Id, ["#expires"] = TaskAttributes.ExpiresAt },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":now"] = TaskItemMapper.N(now.ToUnixTimeSeconds()) },
            }, cancellationToken);
            return new IdempotencyClaim(true, taskId, requestHash);
        }
        catch (ConditionalCheckFailedException)
        {
            var response = await dynamoDb.GetItemAsync(new GetItemRequest
            {
                TableName = tableName,
                Key = new Dictionary<string, AttributeValue> { [TaskAttributes.Id] = TaskItemMapper.S(id) },
                ConsistentRead = true,
            }, cancellationToken);
            if (response.Item is not { Count: > 0 } item)
            {
                // Expired and deleted between the two calls: try again.
                return await ClaimAsync(owner, key, taskId, requestHash, now, window, cancellationToken);
            }
            return new IdempotencyClaim(false, item[TaskIdAttribute].S, item[TaskAttributes.RequestHash].S);
        }
    }

    public static string RecordId(string owner, string key) => $"idem#{owner}#{key}";
}
