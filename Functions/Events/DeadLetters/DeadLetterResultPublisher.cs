using System.Diagnostics;
using System.Text.Json;
using SdServerless.Aws.Sns;
using SdServerless.Aws.Tasks;
using SdServerless.Aws.Tracing;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Events.DeadLetters;

/// <summary>
/// Publishes a task's end, as the table records it, on the results topic: the same message (guidance shape plus ours,
/// <c>runtime</c> and trace attributes) that GpuWorker/Agent/ResultPublisher sends.
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
        string? traceHeader = null;
        if (Activity.Current is { } activity)
        {
            attributes[MessageAttributeNames.TraceParent] = SnsMessageAttribute.String(MessageTraceContext.TraceParent(activity));
            traceHeader = XRayTraceHeader.Format(activity.Context);
        }
        await sns.PublishAsync(new SnsPublishRequest(
            resultsTopicArn,
            JsonSerializer.Serialize(message, ContractsJsonContext.Default.ImageGenerated),
            attributes,
            TraceHeader: traceHeader), cancellationToken);
    }
}
