using Amazon.SQS;
using Amazon.SQS.Model;
using SdServerless.Aws.Sns;
using SdServerless.TestSupport;

namespace SdServerless.Tools.Tests.LocalAws;

public sealed class TwoRuntimesFixture : LocalAwsFixture
{
    protected override IReadOnlyDictionary<string, string> Parameters =>
        new Dictionary<string, string> { ["Runtimes"] = "sdruntime,sdturbo", ["MaxReceiveCount"] = "2" };
}

/// <summary>Routing and redrive as the template sets them up, against real emulator processes.</summary>
public class MessagingRoutingTests(TwoRuntimesFixture fixture) : IClassFixture<TwoRuntimesFixture>, IDisposable
{
    private readonly HttpClient _http = new();
    private readonly IAmazonSQS _sqs = fixture.Stack.Connection.CreateSqsClient();

    private SnsClient Sns => fixture.Stack.Connection.CreateSnsClient(_http);

    private string TasksTopic => fixture.Stack.Resources["TasksTopic"].Ref;

    private string QueueOf(string runtime) => fixture.Stack.Resources[$"RuntimeQueue{runtime}"].Ref;

    [Fact]
    public async Task EachRuntimeQueueGetsOnlyItsOwnTasks()
    {
        var tag = Guid.NewGuid().ToString("N");
        await PublishAsync($"{tag}-a", "sdruntime");
        await PublishAsync($"{tag}-b", "sdturbo");
        await PublishAsync($"{tag}-c", "unknown-runtime");

        var first = await DrainAsync(QueueOf("sdruntime"), expected: 1);
        var second = await DrainAsync(QueueOf("sdturbo"), expected: 1);

        Assert.Equal([$"{tag}-a"], first.Select(m => m.Body).Where(b => b.StartsWith(tag, StringComparison.Ordinal)));
        Assert.Equal([$"{tag}-b"], second.Select(m => m.Body).Where(b => b.StartsWith(tag, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PublishedAttributesReachTheSubscriberQueue()
    {
        var body = $"attributes-{Guid.NewGuid():N}";
        await Sns.PublishAsync(new SnsPublishRequest(TasksTopic, body, new Dictionary<string, SnsMessageAttribute>
        {
            ["runtime"] = SnsMessageAttribute.String("sdturbo"),
            ["task_type"] = SnsMessageAttribute.String("text-to-image"),
        }));

        var message = Assert.Single(await DrainAsync(QueueOf("sdturbo"), expected: 1), m => m.Body == body);

        Assert.Equal("text-to-image", message.MessageAttributes["task_type"].StringValue);
        Assert.Equal("sdturbo", message.MessageAttributes["runtime"].StringValue);
    }

    [Fact]
    public async Task MessageMovesToTheDeadLetterQueueAfterMaxReceiveCount()
    {
        var queue = QueueOf("sdruntime");
        var deadLetters = fixture.Stack.Resources["RuntimeDeadLetterQueuesdruntime"].Ref;
        var body = $"poison-{Guid.NewGuid():N}";
        await _sqs.SendMessageAsync(queue, body);

        for (var receive = 0; receive < 2; receive++)
        {
            var received = await ReceiveUntilAsync(queue, body);
            await _sqs.ChangeMessageVisibilityAsync(queue, received.ReceiptHandle, 0);
        }

        // SQS moves the message when a receive finds it past maxReceiveCount: this receive must not return it.
        var third = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queue, WaitTimeSeconds = 1, MaxNumberOfMessages = 10 });
        var dead = await ReceiveUntilAsync(deadLetters, body);

        Assert.DoesNotContain(third.Messages ?? [], m => m.Body == body);
        Assert.Equal(body, dead.Body);
    }

    public void Dispose()
    {
        _sqs.Dispose();
        _http.Dispose();
    }

    private Task PublishAsync(string body, string runtime) =>
        Sns.PublishAsync(new SnsPublishRequest(TasksTopic, body,
            new Dictionary<string, SnsMessageAttribute> { ["runtime"] = SnsMessageAttribute.String(runtime) }));

    private async Task<List<Message>> DrainAsync(string queue, int expected)
    {
        var messages = new List<Message>();
        for (var attempt = 0; attempt < 5 && messages.Count < expected + 1; attempt++)
        {
            var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queue, MaxNumberOfMessages = 10, WaitTimeSeconds = 1, MessageAttributeNames = ["All"],
            });
            messages.AddRange(response.Messages ?? []);
        }
        foreach (var message in messages)
        {
            await _sqs.DeleteMessageAsync(queue, message.ReceiptHandle);
        }
        return messages;
    }

    private async Task<Message> ReceiveUntilAsync(string queue, string body)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queue, WaitTimeSeconds = 1, MaxNumberOfMessages = 10 });
            var match = response.Messages?.FirstOrDefault(m => m.Body == body);
            if (match is not null)
            {
                return match;
            }
        }
        throw new Xunit.Sdk.XunitException($"'{body}' never arrived on {queue}.");
    }
}
