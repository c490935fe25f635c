using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tasks.Views;

/// <summary>
/// The configured runtimes with their queues' approximate visible and in-flight message counts, per priority
/// (<c>{runtime}-high</c>, <c>{runtime}</c>, <c>{runtime}-low</c>). A priority queue that does not exist (a stack from
/// before priorities) is left out.
/// </summary>
public sealed class RuntimeQueueStats(IAmazonSQS sqs, RuntimeCatalog runtimes, string defaultRuntime, string queueNamePrefix)
{
    private readonly ConcurrentDictionary<string, string> _queueUrls = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<RuntimeView>> ListAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(runtimes.Runtimes.Select(runtime => DescribeAsync(runtime, cancellationToken)));

    private async Task<RuntimeView> DescribeAsync(RuntimeDefinition runtime, CancellationToken cancellationToken)
    {
        var depths = await Task.WhenAll(TaskPriorities.All.Select(async priority =>
            (priority, depth: await DepthAsync(TaskPriorities.QueueName(runtime.Name, priority), required: priority == TaskPriorities.Normal, cancellationToken))));
        var queues = depths.Where(d => d.depth is not null).ToDictionary(d => d.priority, d => d.depth!, StringComparer.Ordinal);
        return RuntimeView.From(runtime, runtime.Name == defaultRuntime, queues, A1111FieldTables.Published(runtime.Type));
    }

    private async Task<QueueDepthView?> DepthAsync(string queue, bool required, CancellationToken cancellationToken)
    {
        try
        {
            if (!_queueUrls.TryGetValue(queue, out var url))
            {
                url = (await sqs.GetQueueUrlAsync(queueNamePrefix + queue, cancellationToken)).QueueUrl;
                _queueUrls[queue] = url;
            }
            var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
            {
                QueueUrl = url,
                AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            }, cancellationToken);
            return new QueueDepthView(attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible);
        }
        catch (QueueDoesNotExistException) when (!required)
        {
            return null;
        }
    }
}
