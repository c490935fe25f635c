using System.Text.Json;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tests.Callbacks.Events;

/// <summary>Result messages as the worker publishes them (a success with the tokens its prompts used), and Lambda SQS events that carry them.</summary>
public static class ResultMessages
{
    public static string Succeeded(TaskRecord task) => JsonSerializer.Serialize(new ImageGenerated(
        task.Runtime, task.Id, true, ImageGenerated.StatusCompleted, [$"s3://{task.Output.Bucket}/outputs/{task.Id}/{task.Id}-0.png"],
        $"s3://{task.Output.Bucket}/outputs/{task.Id}", null, TaskStatuses.Succeeded,
        [new TaskOutput($"s3://{task.Output.Bucket}/outputs/{task.Id}/{task.Id}-0.png", 1234)], null, 10, 20, DateTimeOffset.UtcNow,
        new PromptTokenCounts(80, 3, 154)),
        ContractsJsonContext.Default.ImageGenerated);

    public static string Failed(TaskRecord task, string code) => JsonSerializer.Serialize(new ImageGenerated(
        task.Runtime, task.Id, false, ImageGenerated.StatusFailed, [], $"s3://{task.Output.Bucket}/outputs/{task.Id}", null, TaskStatuses.Failed,
        [], new TaskError(code, "it broke"), 10, 20, DateTimeOffset.UtcNow), ContractsJsonContext.Default.ImageGenerated);

    /// <summary>A Lambda SQS event with one record per (message id, body), all from <paramref name="queueArn"/>.</summary>
    public static string Event(string queueArn, params (string MessageId, string Body)[] records) => JsonSerializer.Serialize(new
    {
        Records = records.Select(r => new
        {
            messageId = r.MessageId,
            receiptHandle = "receipt-" + r.MessageId,
            body = r.Body,
            attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "1" },
            messageAttributes = new Dictionary<string, object>(),
            eventSource = "aws:sqs",
            eventSourceARN = queueArn,
            awsRegion = "us-east-1",
        }),
    });
}
