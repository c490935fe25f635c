using System.Text.Json;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Aws.Sns;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>Publishes a task's end on the results topic, in the guidance's shape plus ours, carrying the trace.</summary>
public sealed class ResultPublisher(SnsClient sns, IOptions<ResourceNames> resources)
{
    public async Task PublishAsync(TaskEnd end, CancellationToken cancellationToken)
    {
        var task = end.Task;
        var message = new ImageGenerated(
            Runtime: task.Runtime,
            Id: task.Id,
            Result: end.State == TaskStatuses.Succeeded,
            Status: end.State == TaskStatuses.Succeeded ? ImageGenerated.StatusCompleted : ImageGenerated.StatusFailed,
            ImageUrl: end.Outputs.Select(o => o.S3Uri).ToList(),
            OutputUrl: OutputWriter.FolderUri(task.Output, task.Id),
            Context: task.Context,
            State: end.State,
            Outputs: end.Outputs,
            Error: end.Error,
            QueueMs: end.QueueMs,
            RunMs: end.RunMs,
            FinishedAt: end.FinishedAt);

        await PublishAsync(JsonSerializer.Serialize(message, ContractsJsonContext.Default.ImageGenerated), task.Runtime, eventName: null, cancellationToken);
    }

    /// <summary>Tells the callback function that a task started (attribute <c>event=task.started</c>), for its <c>task.started</c> webhook.</summary>
    public Task PublishStartedAsync(GenerateImageRequested task, DateTimeOffset startedAt, CancellationToken cancellationToken) =>
        PublishAsync(JsonSerializer.Serialize(new TaskStarted(task.Id, task.Runtime, startedAt), ContractsJsonContext.Default.TaskStarted),
            task.Runtime, TaskStarted.EventName, cancellationToken);

    private async Task PublishAsync(string body, string runtime, string? eventName, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, SnsMessageAttribute>
        {
            [MessageAttributeNames.Runtime] = SnsMessageAttribute.String(runtime),
        };
        if (eventName is not null)
        {
            attributes[MessageAttributeNames.Event] = SnsMessageAttribute.String(eventName);
        }
        // The SNS client adds the trace context from its publish span.
        await sns.PublishAsync(new SnsPublishRequest(resources.Value.ResultsTopicArn, body, attributes), cancellationToken);
    }
}
