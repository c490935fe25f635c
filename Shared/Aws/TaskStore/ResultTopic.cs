using System.Text.Json;
using SdServerless.Aws.Sns;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;

namespace SdServerless.Aws.TaskStore;

/// <summary>The results topic: task ends, progress of running tasks and (when asked for) task starts with the <c>runtime</c> attribute; the SNS client adds the trace context.</summary>
public sealed class ResultTopic(SnsClient sns, string topicArn)
{
    public Task PublishAsync(ImageGenerated result, CancellationToken cancellationToken) =>
        PublishAsync(JsonSerializer.Serialize(result, ContractsJsonContext.Default.ImageGenerated), result.Runtime, eventName: null, cancellationToken);

    /// <summary>Tells the callback function that a task started (attribute <c>event=task.started</c>), for its <c>task.started</c> webhook.</summary>
    public Task PublishStartedAsync(TaskStarted started, CancellationToken cancellationToken) =>
        PublishAsync(JsonSerializer.Serialize(started, ContractsJsonContext.Default.TaskStarted), started.Runtime, TaskStarted.EventName, cancellationToken);

    /// <summary>Tells the callback function a running task's progress (attribute <c>event=task.progress</c>).</summary>
    public Task PublishProgressAsync(TaskProgressed progress, CancellationToken cancellationToken) =>
        PublishAsync(JsonSerializer.Serialize(progress, ContractsJsonContext.Default.TaskProgressed), progress.Runtime, TaskProgressed.EventName, cancellationToken);

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
        await sns.PublishAsync(new SnsPublishRequest(topicArn, body, attributes), cancellationToken);
    }
}
