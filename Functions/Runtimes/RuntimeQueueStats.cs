using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;
using SdServerless.Functions.Model;

namespace SdServerless.Functions.Runtimes;

/// <summary>The configured runtimes with their queues' approximate visible and in-flight message counts.</summary>
public sealed class RuntimeQueueStats(IAmazonSQS sqs, IReadOnlyList<string> runtimes, string defaultRuntime, string queueNamePrefix)
{
    private readonly ConcurrentDictionary<string, string> _queueUrls = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<RuntimeView>> ListAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(runtimes.Select(runtime => DescribeAsync(runtime, cancellationToken)));

    private async Task<RuntimeView> DescribeAsync(string runtime, CancellationToken cancellationToken)
    {
        if (!_queueUrls.TryGetValue(runtime, out var url))
        {
            url = (await sqs.GetQueueUrlAsync(queueNamePrefix + runtime, cancellationToken)).QueueUrl;
            _queueUrls[runtime] = url;
        }
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = url,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }, cancellationToken);
        return new RuntimeView(runtime, runtime == defaultRuntime,
            attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible);
    }
}
