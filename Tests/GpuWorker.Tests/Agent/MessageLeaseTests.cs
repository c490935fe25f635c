using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SdServerless.GpuWorker.Agent;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>The heartbeat on a real queue, with time driven by a fake clock: ten-second beats, and SQS's 12-hour cap.</summary>
public class MessageLeaseTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private static readonly WorkerOptions Options = new() { VisibilityExtensionSeconds = 30, HeartbeatSeconds = 10 };

    [Fact]
    public async Task EachBeatExtendsByTheConfiguredWindow()
    {
        var (sqs, queue, receipt) = await ReceiveOneAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var lease = new MessageLease(sqs, queue, receipt, Options, time, NullLogger.Instance);

        for (var beat = 1; beat <= 3; beat++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            var expected = beat;
            await Eventually.TrueAsync(() => Task.FromResult(lease.Extensions == expected), $"heartbeat {beat}", seconds: 10);
        }

        Assert.Equal(TimeSpan.FromSeconds(30), lease.LastExtension);
        Assert.False(lease.CapReached);
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(11 * 3600, 30)]
    [InlineData(12 * 3600 - 30, 30)]
    [InlineData(12 * 3600 - 25, 24)]
    [InlineData(12 * 3600 - 2, 1)]
    public void NearTheTwelveHourCapTheExtensionShrinks(int heldSeconds, int expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected), MessageLease.NextExtension(TimeSpan.FromSeconds(heldSeconds), TimeSpan.FromSeconds(30)));

    [Theory]
    [InlineData(12 * 3600 - 1)]
    [InlineData(12 * 3600)]
    [InlineData(13 * 3600)]
    public void AtTheCapNoExtensionIsAsked(int heldSeconds) =>
        Assert.Null(MessageLease.NextExtension(TimeSpan.FromSeconds(heldSeconds), TimeSpan.FromSeconds(30)));

    private async Task<(IAmazonSQS Sqs, string Queue, string Receipt)> ReceiveOneAsync()
    {
        var sqs = fixture.Stack.Connection.CreateSqsClient();
        var queue = (await sqs.CreateQueueAsync($"lease-{Guid.NewGuid():N}")).QueueUrl;
        await sqs.SendMessageAsync(queue, "held");
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queue, VisibilityTimeout = 30, WaitTimeSeconds = 1 });
        return (sqs, queue, Assert.Single(received.Messages).ReceiptHandle);
    }
}
