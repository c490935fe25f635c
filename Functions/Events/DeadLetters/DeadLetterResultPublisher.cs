using System.Text.Json;
using SdServerless.Aws.Sns;
using SdServerless.Aws.Tasks;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Events.DeadLetters;

/// <summary>
/// Publishes a task's end, as the table records it, on the results topic: the same message (guidance shape plus ours,
/// <c>runtime</c> attribute, trace context) that GpuWorker/Agent/ResultPublisher sends.
/// </summary>
public sealed class DeadLetterResultPublisher(SnsClient sns, string resultsTopicArn)
{
    public async Task PublishAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        var succeeded = task.Status == TaskStatuses.Succeeded;
        var folder = task.Output.Prefix.Trim('/') is { Length: > 0 } prefix ? $"{prefix}/{task.Id}" : task.Id;
        var message = new ImageGenerated(
            Runtime: task.Runtime,
            Id: task.Id,
            Result: succeeded,
            Status: succeeded ? ImageGenerated.StatusCompleted : ImageGenerated.StatusFailed,
            ImageUrl: [.. task.Outputs.Select(o => o.S3Uri)],
            OutputUrl: $"s3://{task.Output.Bucket}/{folder}",
            Context: task.ContextJson is { } context ? JsonDocument.Parse(context).RootElement.Clone() : null,
            State: task.Status,
            Outputs: task.Outputs,
            Error: task.Error,
            QueueMs: task.StartedAt is { } started ? (long)(started - task.CreatedAt).TotalMilliseconds : null,
            RunMs: task is { StartedAt: { } s, FinishedAt: { } f } ? (long)(f - s).TotalMilliseconds : null,
            FinishedAt: task.FinishedAt ?? DateTimeOffset.UtcNow);

        var attributes = new Dictionary<string, SnsMessageAttribute>
        {
            [MessageAttributeNames.Runtime] = SnsMessageAttribute.String(task.Runtime),
        };
        // The SNS client adds the trace context from its publish span.
        await sns.PublishAsync(new SnsPublishRequest(
            resultsTopicArn, JsonSerializer.Serialize(message, ContractsJsonContext.Default.ImageGenerated), attributes), cancellationToken);
    }
}
