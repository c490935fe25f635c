using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Retention;

/// <summary>
/// Deletes a finished task's output objects now, then marks the task (<c>outputs_deleted_at</c>): its view lists no
/// outputs from then on, and presigned URLs handed out before answer 404 (the object is gone). Deleting again is
/// harmless: S3's DeleteObject of a missing key succeeds, and the mark keeps its first time.
/// </summary>
public sealed class OutputDeletion(IAmazonS3 s3, IAmazonDynamoDB dynamoDb, string tableName, TimeProvider time)
{
    /// <summary>The marked task; the caller has checked that it is the owner's and has ended.</summary>
    public async Task<TaskRecord> DeleteAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        foreach (var output in task.Outputs)
        {
            var (bucket, key) = OutputUri.Parse(output.S3Uri);
            await s3.DeleteObjectAsync(bucket, key, cancellationToken);
        }
        var at = task.OutputsDeletedAt ?? time.GetUtcNow();
        await dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = tableName,
            Key = TaskItemMapper.Key(task.Id),
            UpdateExpression = "SET #deleted = if_not_exists(#deleted, :at)",
            ConditionExpression = "#owner = :owner",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#deleted"] = TaskAttributes.OutputsDeletedAt, ["#owner"] = TaskAttributes.Owner },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":at"] = TaskItemMapper.S(TaskTimestamps.Format(at)),
                [":owner"] = TaskItemMapper.S(task.Owner),
            },
        }, cancellationToken);
        return task with { OutputsDeletedAt = at };
    }
}
