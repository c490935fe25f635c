using System.Net;
using System.Text;
using System.Text.Json;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tests.Callbacks.Events;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Callbacks.Sweep;

/// <summary>
/// A task the API wrote but never published (its function died in between) is found by the scheduled sweep: published
/// when its message can be rebuilt, else failed with publish_failed and its webhook sent. Never left queued.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class QueuedTaskSweepTests(EventsFixture fixture)
{
    /// <summary>What the API writes before it publishes: queued, marked publish-pending, and no message sent.</summary>
    private async Task<TaskRecord> WriteUnpublishedAsync(string taskType, TimeSpan age, string? callbackUrl = null)
    {
        var created = DateTimeOffset.UtcNow - age;
        var task = new TaskRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Owner = "local-dev",
            Status = TaskStatuses.Queued,
            Runtime = "sdruntime",
            TaskType = taskType,
            RequestJson = $$"""{"runtime":"sdruntime","task_type":"{{taskType}}","parameters":{"prompt":"a lighthouse","steps":3,"seed":77},"output_prefix":"outputs","webhook_events":[]}""",
            RequestHash = "0",
            Output = new TaskOutputLocation(fixture.Stack.Resources["OutputBucket"].Ref, "outputs"),
            CreatedAt = created,
            CallbackUrl = callbackUrl,
            WebhookEvents = callbackUrl is null ? [] : ["completed"],
            ExpiresAt = created.AddDays(1).ToUnixTimeSeconds(),
            PublishPending = true,
        };
        Assert.True((await fixture.Tasks.CreateAsync(task, CancellationToken.None)).Created);
        return task;
    }

    private Task<JsonElement> SweepAsync() => ScheduledSweep.RunAsync(fixture.App);

    [Fact]
    public async Task AQueuedTaskWithoutAMessageIsPublishedBySweep()
    {
        var task = await WriteUnpublishedAsync(TaskTypes.TextToImage, TimeSpan.FromMinutes(5));

        await SweepAsync();

        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuesdruntime"].Ref, task.Id);
        var sent = JsonSerializer.Deserialize(message.Body, ContractsJsonContext.Default.GenerateImageRequested)!;
        Assert.Equal(("a lighthouse", 3, 77L), (sent.Parameters.Prompt, sent.Parameters.Steps, sent.Parameters.Seed));
        var stored = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.Equal(TaskStatuses.Queued, stored.Status);
        Assert.False(stored.PublishPending);
    }

    [Fact]
    public async Task AnUnpublishedTaskWhoseImagesAreLostFailsWithAWebhook()
    {
        var url = fixture.Receiver.Script("/sweep-failed");
        var task = await WriteUnpublishedAsync(TaskTypes.ImageToImage, TimeSpan.FromMinutes(5), url);

        await SweepAsync();

        var webhook = Assert.Single(await fixture.Receiver.WaitForAsync("/sweep-failed", 1));
        using var body = JsonDocument.Parse(webhook.Body);
        Assert.Equal("task.failed", body.RootElement.GetProperty("event").GetString());
        Assert.Equal("publish_failed", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        var stored = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.Equal(TaskStatuses.Failed, stored.Status);
        Assert.Contains("never sent", stored.Error!.Message);
        Assert.False(stored.PublishPending);
    }

    [Fact]
    public async Task ATaskJustWrittenIsLeftToItsOwnPublish()
    {
        var task = await WriteUnpublishedAsync(TaskTypes.TextToImage, TimeSpan.Zero);

        await SweepAsync();

        var stored = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.True(stored.PublishPending);
        Assert.Equal(TaskStatuses.Queued, stored.Status);
    }

    [Fact]
    public async Task AStartedTaskLosesItsMarkAndIsNotPublishedAgain()
    {
        var task = await WriteUnpublishedAsync(TaskTypes.TextToImage, TimeSpan.FromMinutes(5));
        Assert.True(await fixture.Tasks.TryStartAsync(task.Id, "worker-1", DateTimeOffset.UtcNow, CancellationToken.None));

        await SweepAsync();

        var stored = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.False(stored.PublishPending);
        Assert.Equal(TaskStatuses.Running, stored.Status);
    }

    [Fact]
    public async Task ASubmittedTaskLosesItsMarkOnceItsMessageIsPublished()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks")
        {
            Content = new StringContent("""{"prompt":"published at once","steps":3}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "local-dev-key");
        using var response = await fixture.App.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var stored = (await fixture.Tasks.GetAsync(id, CancellationToken.None))!;

        Assert.False(stored.PublishPending);
        await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.Stack.Resources["RuntimeQueuesdruntime"].Ref, id);
    }
}
