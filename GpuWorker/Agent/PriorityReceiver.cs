using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Options;
using SdServerless.Contracts.Tasks;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Receives one message from the runtime's queues. With only <see cref="WorkerOptions.QueueUrl"/> set, it long-polls
/// that queue. With the priority queues set too, it follows <see cref="PriorityReceiveRule"/> (docs/decisions/0336):
/// one pass that asks each queue in the turn's order without waiting, and when all were empty, a pass that long-polls
/// each for <see cref="WorkerOptions.PriorityPollWaitSeconds"/>, so a task arriving on any queue is seen within about
/// three of those waits.
/// </summary>
public sealed class PriorityReceiver(IAmazonSQS sqs, IOptions<WorkerOptions> options, PriorityReceiveRule rule)
{
    public IReadOnlyDictionary<string, string> Queues { get; } = QueuesFrom(options.Value);

    public async Task<ReceivedMessage?> ReceiveOneAsync()
    {
        if (Queues.Count == 1)
        {
            return await ReceiveAsync(options.Value.QueueUrl, options.Value.ReceiveWaitSeconds);
        }
        foreach (var wait in (int[])[0, options.Value.PriorityPollWaitSeconds])
        {
            foreach (var priority in rule.Order())
            {
                if (Queues.TryGetValue(priority, out var url) && await ReceiveAsync(url, wait) is { } received)
                {
                    rule.Took();
                    return received;
                }
            }
        }
        return null;
    }

    private async Task<ReceivedMessage?> ReceiveAsync(string queueUrl, int waitSeconds)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = 1,
            WaitTimeSeconds = waitSeconds,
            VisibilityTimeout = options.Value.VisibilityExtensionSeconds,
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["AWSTraceHeader", "ApproximateReceiveCount", "SentTimestamp"],
        });
        return response.Messages?.FirstOrDefault() is { } message ? new ReceivedMessage(message, queueUrl) : null;
    }

    private static Dictionary<string, string> QueuesFrom(WorkerOptions worker)
    {
        var queues = new Dictionary<string, string>(StringComparer.Ordinal) { [TaskPriorities.Normal] = worker.QueueUrl };
        if (!string.IsNullOrWhiteSpace(worker.HighQueueUrl))
        {
            queues[TaskPriorities.High] = worker.HighQueueUrl;
        }
        if (!string.IsNullOrWhiteSpace(worker.LowQueueUrl))
        {
            queues[TaskPriorities.Low] = worker.LowQueueUrl;
        }
        return queues;
    }
}
