using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>Puts off a kept record's next delivery (its visibility timeout), the way webhook retries wait in SQS across restarts.</summary>
public sealed class QueueVisibility(IAmazonSQS sqs)
{
    private readonly ConcurrentDictionary<string, string> _urls = new(StringComparer.Ordinal);

    public async Task DelayAsync(string queueName, string receiptHandle, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (!_urls.TryGetValue(queueName, out var url))
        {
            url = (await sqs.GetQueueUrlAsync(queueName, cancellationToken)).QueueUrl;
            _urls[queueName] = url;
        }
        await sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest
        {
            QueueUrl = url,
            ReceiptHandle = receiptHandle,
            VisibilityTimeout = (int)Math.Ceiling(delay.TotalSeconds),
        }, cancellationToken);
    }
}
