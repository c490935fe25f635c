using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SdServerless.Aws.Sns;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using SdServerless.ServiceDefaults.Telemetry;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// Publishes a task on the tasks topic with the <c>runtime</c>, <c>task_type</c> and <c>priority</c> attributes that
/// route it (each runtime has a queue per priority), and trace context. A message over the claim-check threshold, or
/// one with a part too large for the task's item (<see cref="RequestParts"/>), is put in S3 whole, and SNS carries a
/// pointer to it without those parts.
/// </summary>
public sealed class TaskPublisher(SnsClient sns, ClaimChecks claimChecks, string topicArn, int claimCheckThresholdBytes, ILogger<TaskPublisher> logger)
{
    public async Task<string> PublishAsync(TaskRecord task, GenerationParameters parameters, JsonElement? context, CancellationToken cancellationToken)
    {
        using var activity = SdServerlessTelemetry.ActivitySource.StartActivity("tasks publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "aws_sns");
        activity?.SetTag("messaging.destination.name", topicArn);
        activity?.SetTag("sdserverless.task.id", task.Id);

        var message = new GenerateImageRequested(task.Id, task.Runtime, task.TaskType, parameters, task.Output, task.CreatedAt, context,
            StartBy: task.StartBy, Deadline: task.Deadline, RetentionDays: task.RetentionDays);
        var body = JsonSerializer.Serialize(message, ContractsJsonContext.Default.GenerateImageRequested);
        // A part the table does not keep lives only here, so a retry can read it back.
        if (Encoding.UTF8.GetByteCount(body) > claimCheckThresholdBytes || RequestParts.Large(parameters).Count > 0)
        {
            var bytes = Encoding.UTF8.GetByteCount(body);
            await claimChecks.PutAsync(task.Id, body, cancellationToken);
            var pointer = message with { Parameters = RequestParts.ForPointer(parameters), PayloadS3Uri = claimChecks.UriOf(task.Id) };
            body = JsonSerializer.Serialize(pointer, ContractsJsonContext.Default.GenerateImageRequested);
            activity?.SetTag("sdserverless.claim_check", true);
            logger.LogInformation("Task {TaskId} message is {Bytes} bytes; sent through S3 object {PayloadKey}", task.Id, bytes, claimChecks.KeyOf(task.Id));
        }

        var attributes = new Dictionary<string, SnsMessageAttribute>
        {
            [MessageAttributeNames.Runtime] = SnsMessageAttribute.String(task.Runtime),
            [MessageAttributeNames.TaskType] = SnsMessageAttribute.String(task.TaskType),
            [MessageAttributeNames.Priority] = SnsMessageAttribute.String(task.Priority),
        };
        // The SNS client adds the trace context (traceparent attribute, X-Amzn-Trace-Id header) from its publish span.
        var messageId = await sns.PublishAsync(new SnsPublishRequest(topicArn, body, attributes), cancellationToken);
        activity?.SetTag("messaging.message.id", messageId);
        return messageId;
    }
}
