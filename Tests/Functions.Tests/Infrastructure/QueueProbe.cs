using Amazon.SQS;
using Amazon.SQS.Model;

namespace SdServerless.Functions.Tests.Infrastructure;

/// <summary>Reads a queue the way a worker would, looking for one task's message.</summary>
public static class QueueProbe
{
    public static async Task<Message> WaitForTaskAsync(IAmazonSQS sqs, string queueUrl, string taskId)
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
                MessageAttributeNames = ["All"],
                MessageSystemAttributeNames = ["All"],
            });
            foreach (var message in response.Messages ?? [])
            {
                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
                if (message.Body.Contains($"\"id\":\"{taskId}\"", StringComparison.Ordinal))
                {
                    return message;
                }
            }
        }
        throw new Xunit.Sdk.XunitException($"No message for task {taskId} arrived on {queueUrl}.");
    }
}
