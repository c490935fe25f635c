using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;
using SdServerless.Contracts.Runtimes;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tasks.Views;

/// <summary>The configured runtimes with their queues' approximate visible and in-flight message counts.</summary>
public sealed class RuntimeQueueStats(IAmazonSQS sqs, RuntimeCatalog runtimes, string defaultRuntime, string queueNamePrefix)
{
    private readonly ConcurrentDictionary<string, string> _queueUrls = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<RuntimeView>> ListAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(runtimes.Runtimes.Select(runtime => DescribeAsync(runtime, cancellationToken)));

    private async Task<RuntimeView> DescribeAsync(RuntimeDefinition runtime, CancellationToken cancellationToken)
    {
        if (!_queueUrls.TryGetValue(runtime.Name, out var url))
        {
            url = (await sqs.GetQueueUrlAsync(queueNamePrefix + runtime.Name, cancellationToken)).QueueUrl;
            _queueUrls[runtime.Name] = url;
        }
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = url,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }, cancellationToken);
        return RuntimeView.From(runtime, runtime.Name == defaultRuntime,
            attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible, A1111FieldTables.Published(runtime.Type));
    }
}
