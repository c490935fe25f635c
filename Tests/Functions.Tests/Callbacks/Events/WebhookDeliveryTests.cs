using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.SQS.Model;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tests.Callbacks.Events;

/// <summary>Results arrive on the results queue (read by the local poller, as Lambda would) and become signed webhooks.</summary>
[Collection(EventsCollection.Name)]
public sealed class WebhookDeliveryTests(EventsFixture fixture)
{
    [Fact]
    public async Task ResultEndsTheTaskAndSendsAWebhookThatVerifiesIndependently()
    {
        var url = fixture.Receiver.Script("/signed");
        var task = await fixture.CreateTaskAsync(url);
        var traceId = ActivityTraceId.CreateRandom();
        var traceParent = $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

        await fixture.Sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = fixture.ResultsQueueUrl,
            MessageBody = ResultMessages.Succeeded(task),
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [MessageAttributeNames.TraceParent] = new() { DataType = "String", StringValue = traceParent },
            },
        });

        var webhook = Assert.Single(await fixture.Receiver.WaitForAsync("/signed", 1));
        Assert.True(StandardWebhookVerifier.Verify(EventsFixture.LocalDevSecret, webhook), "The signature does not verify.");
        Assert.Equal($"msg_{task.Id}_completed", webhook.Header("webhook-id"));
        Assert.InRange(long.Parse(webhook.Header("webhook-timestamp")), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(traceId.ToHexString(), webhook.Header("traceparent").Split('-')[1]);
        using var body = JsonDocument.Parse(webhook.Body);
        Assert.Equal("task.succeeded", body.RootElement.GetProperty("event").GetString());
        Assert.Equal(task.Id, body.RootElement.GetProperty("id").GetString());
        Assert.Equal("succeeded", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(1234, body.RootElement.GetProperty("outputs")[0].GetProperty("seed").GetInt64());
        Assert.Equal(42, body.RootElement.GetProperty("metadata").GetProperty("order").GetInt32());
        Assert.Equal((80, 3, 154), PromptTokens(body.RootElement));

        var stored = await fixture.WaitForTaskAsync(task.Id, t => t.Webhooks.Any(w => w.DeliveredAt is not null));
        Assert.Equal(TaskStatuses.Succeeded, stored.Status);
        Assert.Equal(new PromptTokenCounts(80, 3, 154), stored.PromptTokens);
        Assert.Equal((80, 3, 154), PromptTokens(await GetTaskViewAsync(task.Id)));
        var delivery = Assert.Single(stored.Webhooks);
        Assert.Equal(("task.succeeded", 1, (string?)null), (delivery.Event, delivery.Attempts, delivery.LastError));
    }

    private static (int Prompt, int NegativePrompt, int Context) PromptTokens(JsonElement view)
    {
        var tokens = view.GetProperty("prompt_tokens");
        return (tokens.GetProperty("prompt").GetInt32(), tokens.GetProperty("negative_prompt").GetInt32(), tokens.GetProperty("context").GetInt32());
    }

    [Fact]
    public async Task RotatingSecretsEachSignTheWebhook()
    {
        var url = fixture.Receiver.Script("/rotation");
        var task = await fixture.CreateTaskAsync(url, owner: EventsFixture.RotatingOwner);

        var response = await PostEventAsync(ResultMessages.Event(fixture.ResultsQueueArn, ("rotation-1", ResultMessages.Succeeded(task))));

        Assert.Empty(response.GetProperty("batchItemFailures").EnumerateArray());
        var webhook = Assert.Single(fixture.Receiver.To("/rotation"));
        Assert.Equal(2, webhook.Header("webhook-signature").Split(' ').Length);
        Assert.True(StandardWebhookVerifier.Verify(EventsFixture.OldSecret, webhook));
        Assert.True(StandardWebhookVerifier.Verify(EventsFixture.NewSecret, webhook));
        Assert.False(StandardWebhookVerifier.Verify(EventsFixture.LocalDevSecret, webhook));
    }

    [Fact]
    public async Task ServerErrorIsRetriedUntilOneDeliverySucceedsWithTheSameWebhookId()
    {
        var url = fixture.Receiver.Script("/flaky", 500);
        var task = await fixture.CreateTaskAsync(url);

        await fixture.Sqs.SendMessageAsync(fixture.ResultsQueueUrl, ResultMessages.Succeeded(task));

        var stored = await fixture.WaitForTaskAsync(task.Id, t => t.Webhooks.Any(w => w.DeliveredAt is not null));
        var attempts = fixture.Receiver.To("/flaky");
        Assert.Equal([500, 200], attempts.Select(a => a.AnsweredStatus));
        Assert.Single(attempts.Select(a => a.Header("webhook-id")).Distinct());
        Assert.All(attempts, a => Assert.True(StandardWebhookVerifier.Verify(EventsFixture.LocalDevSecret, a)));
        var delivery = Assert.Single(stored.Webhooks);
        Assert.Equal(2, delivery.Attempts);
        Assert.Null(delivery.LastError);
    }

    [Fact]
    public async Task GoneStopsRetrying()
    {
        var url = fixture.Receiver.Script("/gone", 410);
        var task = await fixture.CreateTaskAsync(url);

        var response = await PostEventAsync(ResultMessages.Event(fixture.ResultsQueueArn, ("gone-1", ResultMessages.Succeeded(task))));

        Assert.Empty(response.GetProperty("batchItemFailures").EnumerateArray());
        Assert.Single(fixture.Receiver.To("/gone"));
        var delivery = Assert.Single((await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!.Webhooks);
        Assert.Equal(1, delivery.Attempts);
        Assert.Contains("410", delivery.LastError);
        Assert.NotNull(delivery.GaveUpAt);
        var view = await GetTaskViewAsync(task.Id);
        Assert.Equal("failed", view.GetProperty("webhooks")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task RedirectIsNotFollowed()
    {
        var url = new Uri(fixture.Receiver.BaseAddress, "/redirect/a").ToString();
        var task = await fixture.CreateTaskAsync(url);

        await fixture.Sqs.SendMessageAsync(fixture.ResultsQueueUrl, ResultMessages.Succeeded(task));

        // Three attempts with the test's schedule (1 s, 1 s), each answered 302, then delivery gives up.
        var stored = await fixture.WaitForTaskAsync(task.Id, t => t.Webhooks.Any(w => w.GaveUpAt is not null));
        Assert.Equal(3, fixture.Receiver.To("/redirect/a").Count);
        Assert.Empty(fixture.Receiver.To("/target/a"));
        var delivery = Assert.Single(stored.Webhooks);
        Assert.Equal(3, delivery.Attempts);
        Assert.Contains("302", delivery.LastError);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/hook")]
    public async Task CallbackToAPrivateAddressIsRefusedAtConnectTime(string url)
    {
        var task = await fixture.CreateTaskAsync(url);

        var response = await PostEventAsync(ResultMessages.Event(fixture.ResultsQueueArn, ($"private-{task.Id}", ResultMessages.Succeeded(task))));

        Assert.Empty(response.GetProperty("batchItemFailures").EnumerateArray());
        var stored = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.Equal(TaskStatuses.Succeeded, stored.Status);
        var delivery = Assert.Single(stored.Webhooks);
        Assert.Equal(1, delivery.Attempts);
        Assert.NotNull(delivery.GaveUpAt);
        Assert.Contains("not a public address", delivery.LastError);
    }

    [Fact]
    public async Task DuplicateResultChangesNothingAndSendsNoSecondWebhook()
    {
        var url = fixture.Receiver.Script("/duplicate");
        var task = await fixture.CreateTaskAsync(url);
        await PostEventAsync(ResultMessages.Event(fixture.ResultsQueueArn, ("first", ResultMessages.Succeeded(task))));
        var before = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;

        // The same result again, and a conflicting one, as different messages.
        var response = await PostEventAsync(ResultMessages.Event(fixture.ResultsQueueArn,
            ("again", ResultMessages.Succeeded(task)), ("conflict", ResultMessages.Failed(task, "model_error"))));

        Assert.Empty(response.GetProperty("batchItemFailures").EnumerateArray());
        Assert.Single(fixture.Receiver.To("/duplicate"));
        var after = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.Equal(TaskStatuses.Succeeded, after.Status);
        Assert.Equal(before.FinishedAt, after.FinishedAt);
        Assert.Equal(before.Outputs, after.Outputs);
        Assert.Equal(before.Webhooks, after.Webhooks);
    }

    [Fact]
    public async Task OneBadRecordIsReportedAloneAndTheOthersAreHandled()
    {
        var url = fixture.Receiver.Script("/batch");
        var task = await fixture.CreateTaskAsync(url);

        var response = await PostEventAsync(ResultMessages.Event(fixture.ResultsQueueArn,
            ("bad", "this is not a result"), ("good", ResultMessages.Succeeded(task))));

        var failure = Assert.Single(response.GetProperty("batchItemFailures").EnumerateArray());
        Assert.Equal("bad", failure.GetProperty("itemIdentifier").GetString());
        Assert.Equal(TaskStatuses.Succeeded, (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!.Status);
        Assert.Single(fixture.Receiver.To("/batch"));
    }

    [Fact]
    public async Task DeadLetterEndsTheTaskFailedAndFiresTheWebhook()
    {
        var url = fixture.Receiver.Script("/dead-letter");
        var task = await fixture.CreateTaskAsync(url, queued: true);
        var message = new GenerateImageRequested(task.Id, task.Runtime, task.TaskType, new GenerationParameters { Prompt = "a lighthouse" },
            task.Output, task.CreatedAt);

        await fixture.Sqs.SendMessageAsync(fixture.DeadLetterQueueUrl, JsonSerializer.Serialize(message, ContractsJsonContext.Default.GenerateImageRequested));

        var webhook = Assert.Single(await fixture.Receiver.WaitForAsync("/dead-letter", 1));
        Assert.True(StandardWebhookVerifier.Verify(EventsFixture.LocalDevSecret, webhook));
        using var body = JsonDocument.Parse(webhook.Body);
        Assert.Equal("task.failed", body.RootElement.GetProperty("event").GetString());
        Assert.Equal("retries_exhausted", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        var stored = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.Equal(TaskStatuses.Failed, stored.Status);
        Assert.Equal("retries_exhausted", stored.Error!.Code);
    }

    [Fact]
    public async Task StartNotificationSendsTaskStartedWhenAskedFor()
    {
        var url = fixture.Receiver.Script("/started");
        var task = await fixture.CreateTaskAsync(url, ["completed", "start"]);
        var started = JsonSerializer.Serialize(new TaskStarted(task.Id, task.Runtime, DateTimeOffset.UtcNow), ContractsJsonContext.Default.TaskStarted);

        await fixture.Sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = fixture.ResultsQueueUrl,
            MessageBody = started,
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [MessageAttributeNames.Event] = new() { DataType = "String", StringValue = TaskStarted.EventName },
            },
        });
        var first = Assert.Single(await fixture.Receiver.WaitForAsync("/started", 1));
        await fixture.Sqs.SendMessageAsync(fixture.ResultsQueueUrl, ResultMessages.Succeeded(task));
        var both = await fixture.Receiver.WaitForAsync("/started", 2);

        using var startBody = JsonDocument.Parse(first.Body);
        Assert.Equal("task.started", startBody.RootElement.GetProperty("event").GetString());
        Assert.Equal("running", startBody.RootElement.GetProperty("status").GetString());
        Assert.Equal([$"msg_{task.Id}_started", $"msg_{task.Id}_completed"], both.Select(w => w.Header("webhook-id")));
    }

    [Fact]
    public async Task EventsThroughApiGatewayAreRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
        {
            Content = new StringContent(ResultMessages.Event(fixture.ResultsQueueArn), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-amzn-request-context", """{"requestId":"r","identity":{"apiKeyId":"k"}}""");

        using var response = await fixture.App.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<JsonElement> PostEventAsync(string sqsEvent)
    {
        using var response = await fixture.App.PostAsync("/events", new StringContent(sqsEvent, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> GetTaskViewAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}");
        request.Headers.Add("x-api-key", "local-dev-key");
        using var response = await fixture.App.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
