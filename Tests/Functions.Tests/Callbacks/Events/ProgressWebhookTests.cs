using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.SQS.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;

namespace SdServerless.Functions.Tests.Callbacks.Events;

/// <summary>
/// Workers' progress messages on the results queue become signed <c>task.progress</c> webhooks for tasks that asked,
/// at most one per task per <c>Webhooks:ProgressInterval</c> (5 s by default, as here), before the end webhook.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class ProgressWebhookTests(EventsFixture fixture)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task TaskAskingForProgressGetsRateLimitedProgressWebhooksBeforeItsEnd()
    {
        var url = fixture.Receiver.Script("/progress");
        var task = await fixture.CreateTaskAsync(url, ["completed", "progress"]);
        var clock = Stopwatch.StartNew();

        // A burst of progress, then another burst once the interval has passed, then the result.
        await SendProgressAsync(task, 1, 2, 3, 4, 5);
        await fixture.Receiver.WaitForAsync("/progress", 1);
        await Task.Delay(Interval + TimeSpan.FromMilliseconds(500));
        await SendProgressAsync(task, 6, 7, 8, 9, 10);
        await fixture.Receiver.WaitForAsync("/progress", 1, w => Event(w) == "task.progress" && Step(w) > 5);
        await fixture.Sqs.SendMessageAsync(fixture.ResultsQueueUrl, ResultMessages.Succeeded(task));
        await fixture.Receiver.WaitForAsync("/progress", 1, w => Event(w) == "task.succeeded");
        var elapsed = clock.Elapsed;
        // Progress that arrives after the end sends nothing.
        await PostProgressAsync(task, 10);

        var received = fixture.Receiver.To("/progress");
        var progress = received.Where(w => Event(w) == "task.progress").ToList();
        Assert.InRange(progress.Count, 2, 1 + (int)(elapsed / Interval));
        Assert.Equal("task.succeeded", Event(received[^1]));
        Assert.Equal(received.Count - 1, progress.Count);
        Assert.All(progress, w =>
        {
            Assert.True(StandardWebhookVerifier.Verify(EventsFixture.LocalDevSecret, w), "The signature does not verify.");
            Assert.Equal($"msg_{task.Id}_progress_{Step(w)}", w.Header("webhook-id"));
            using var body = JsonDocument.Parse(w.Body);
            Assert.Equal(task.Id, body.RootElement.GetProperty("id").GetString());
            Assert.Equal("running", body.RootElement.GetProperty("status").GetString());
        });
        Assert.Equal(progress.Count, progress.Select(w => w.Header("webhook-id")).Distinct().Count());
    }

    [Fact]
    public async Task TaskNotAskingForProgressGetsOnlyItsEnd()
    {
        var url = fixture.Receiver.Script("/no-progress");
        var task = await fixture.CreateTaskAsync(url, ["completed", "start"]);

        await PostProgressAsync(task, 1, 2, 3);
        await fixture.Sqs.SendMessageAsync(fixture.ResultsQueueUrl, ResultMessages.Succeeded(task));
        await fixture.Receiver.WaitForAsync("/no-progress", 1, w => Event(w) == "task.succeeded");

        var webhook = Assert.Single(fixture.Receiver.To("/no-progress"));
        Assert.Equal($"msg_{task.Id}_completed", webhook.Header("webhook-id"));
        var stored = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.Single(stored.Webhooks);
    }

    [Fact]
    public async Task FailedProgressWebhookIsNotRetriedAndTheEndStillGoesOut()
    {
        var url = fixture.Receiver.Script("/progress-fails", 500);
        var task = await fixture.CreateTaskAsync(url, ["completed", "progress"]);

        await SendProgressAsync(task, 1);
        await fixture.Receiver.WaitForAsync("/progress-fails", 1);
        await fixture.Sqs.SendMessageAsync(fixture.ResultsQueueUrl, ResultMessages.Succeeded(task));
        await fixture.Receiver.WaitForAsync("/progress-fails", 1, w => Event(w) == "task.succeeded");

        var received = fixture.Receiver.To("/progress-fails");
        Assert.Equal([("task.progress", 500), ("task.succeeded", 200)], received.Select(w => (Event(w), w.AnsweredStatus)));
        var delivery = Assert.Single((await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!.Webhooks);
        Assert.Equal(("task.succeeded", 1), (delivery.Event, delivery.Attempts));
    }

    private async Task SendProgressAsync(TaskRecord task, params int[] steps)
    {
        foreach (var step in steps)
        {
            await fixture.Sqs.SendMessageAsync(new SendMessageRequest
            {
                QueueUrl = fixture.ResultsQueueUrl,
                MessageBody = Progress(task, step),
                MessageAttributes = new Dictionary<string, MessageAttributeValue>
                {
                    [MessageAttributeNames.Event] = new() { DataType = "String", StringValue = TaskProgressed.EventName },
                },
            });
        }
    }

    /// <summary>Progress records posted straight to <c>/events</c> as Lambda would, answered once they are handled.</summary>
    private async Task PostProgressAsync(TaskRecord task, params int[] steps)
    {
        var sqsEvent = JsonSerializer.Serialize(new
        {
            Records = steps.Select(step => new
            {
                messageId = $"progress-{task.Id}-{step}-{Guid.NewGuid():N}",
                receiptHandle = "receipt",
                body = Progress(task, step),
                attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "1" },
                messageAttributes = new Dictionary<string, object>
                {
                    [MessageAttributeNames.Event] = new { stringValue = TaskProgressed.EventName, dataType = "String" },
                },
                eventSource = "aws:sqs",
                eventSourceARN = fixture.ResultsQueueArn,
                awsRegion = "us-east-1",
            }),
        });
        using var response = await fixture.App.PostAsync("/events", new StringContent(sqsEvent, Encoding.UTF8, "application/json"));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(answer.RootElement.GetProperty("batchItemFailures").EnumerateArray());
    }

    private static string Progress(TaskRecord task, int step) =>
        JsonSerializer.Serialize(new TaskProgressed(task.Id, task.Runtime, step, 10, DateTimeOffset.UtcNow), ContractsJsonContext.Default.TaskProgressed);

    private static string? Event(ReceivedWebhook webhook)
    {
        using var body = JsonDocument.Parse(webhook.Body);
        return body.RootElement.GetProperty("event").GetString();
    }

    private static int Step(ReceivedWebhook webhook) => int.Parse(webhook.Header("webhook-id").Split('_')[^1]);
}
