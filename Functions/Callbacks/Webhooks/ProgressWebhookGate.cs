using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>
/// The per-task limit on <c>task.progress</c> webhooks, kept on the task item so that every function instance agrees:
/// one conditional write stamps the send time and succeeds only for a running task that asked for progress webhooks and
/// had none within the interval. The winner gets the task as it now stands; every other caller sends nothing
/// (docs/decisions/0333).
/// </summary>
public sealed class ProgressWebhookGate(IAmazonDynamoDB dynamoDb, string tableName, TimeSpan interval)
{
    /// <summary>Epoch milliseconds of the latest <c>task.progress</c> webhook let through; written only here.</summary>
    public const string SentAt = "webhook_progress_sent_at";

    public TimeSpan Interval => interval;

    /// <summary>The task, when a progress webhook may go out for it now; null when it did not ask, is not running, or had one too recently.</summary>
    public async Task<TaskRecord?> TryPassAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = TaskItemMapper.Key(id),
                UpdateExpression = "SET #sent = :now",
                ConditionExpression = "attribute_exists(#callback) AND contains(#events, :progress) AND #status = :running"
                                      + " AND (attribute_not_exists(#sent) OR #sent <= :due)",
                ExpressionAttributeNames = new Dictionary<string, string>
                {
                    ["#sent"] = SentAt,
                    ["#callback"] = TaskAttributes.CallbackUrl,
                    ["#events"] = TaskAttributes.WebhookEvents,
                    ["#status"] = TaskAttributes.Status,
                },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":now"] = TaskItemMapper.N(now.ToUnixTimeMilliseconds()),
                    [":due"] = TaskItemMapper.N((now - interval).ToUnixTimeMilliseconds()),
                    [":progress"] = TaskItemMapper.S(TaskProgressed.RequestedBy),
                    [":running"] = TaskItemMapper.S(TaskStatuses.Running),
                },
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken);
            return TaskItemMapper.FromItem(response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }
}
