using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tests.Callbacks.Events;

namespace SdServerless.Functions.Tests.Callbacks.Sweep;

/// <summary>
/// A queued task whose latest start passes while no worker receives it (its runtime scaled to zero and not woken by low
/// tasks) ends <c>expired</c> through the scheduled sweep, with its webhook, as a worker would have ended it; tasks that
/// may still start, or that started, are left alone and leave the sweep's index when they start (docs/decisions/0338).
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class ExpiredTaskSweepTests(EventsFixture fixture)
{
    /// <summary>A published, queued task (no publish-pending mark) with the clocks the API resolves at submit.</summary>
    private async Task<TaskRecord> WriteQueuedAsync(DateTimeOffset startBy, DateTimeOffset? deadline, string? callbackUrl = null)
    {
        var created = DateTimeOffset.UtcNow.AddMinutes(-10);
        var task = new TaskRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Owner = "local-dev",
            Status = TaskStatuses.Queued,
            Runtime = "sdruntime",
            TaskType = TaskTypes.TextToImage,
            RequestJson = """{"runtime":"sdruntime","task_type":"text-to-image","parameters":{"prompt":"a low-priority lighthouse","steps":3,"seed":5},"output_prefix":"outputs","webhook_events":[]}""",
            RequestHash = "0",
            Output = new TaskOutputLocation(fixture.Stack.Resources["OutputBucket"].Ref, "outputs"),
            CreatedAt = created,
            CallbackUrl = callbackUrl,
            WebhookEvents = callbackUrl is null ? [] : ["completed"],
            ExpiresAt = created.AddDays(1).ToUnixTimeSeconds(),
            Priority = TaskPriorities.Low,
            StartBy = startBy,
            Deadline = deadline,
        };
        Assert.True((await fixture.Tasks.CreateAsync(task, CancellationToken.None)).Created);
        return task;
    }

    private Task SweepAsync() => ScheduledSweep.RunAsync(fixture.App);

    private async Task<bool> InSweepIndexAsync(string id)
    {
        var item = await fixture.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = fixture.Stack.Resources["TasksTable"].Ref,
            Key = TaskItemMapper.Key(id),
            ConsistentRead = true,
        });
        return item.Item?.ContainsKey(TaskAttributes.QueuedStartBy) == true;
    }

    [Fact]
    public async Task AQueuedTaskPastItsDeadlineThatNoWorkerReceivedExpiresWithItsWebhook()
    {
        var url = fixture.Receiver.Script("/sweep-expired");
        var passed = DateTimeOffset.UtcNow.AddMinutes(-1);
        var task = await WriteQueuedAsync(passed, passed, url);
        Assert.True(await InSweepIndexAsync(task.Id));

        await SweepAsync();

        var webhook = Assert.Single(await fixture.Receiver.WaitForAsync("/sweep-expired", 1));
        using var body = JsonDocument.Parse(webhook.Body);
        Assert.Equal("task.expired", body.RootElement.GetProperty("event").GetString());
        Assert.Equal(TaskExpiry.DeadlineCode, body.RootElement.GetProperty("error").GetProperty("code").GetString());
        var stored = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.Equal(TaskStatuses.Expired, stored.Status);
        Assert.False(await InSweepIndexAsync(task.Id));
        // The worker that receives its message later finds it ended and does not run it.
        Assert.False(await fixture.Tasks.TryStartAsync(task.Id, "worker-late", DateTimeOffset.UtcNow, CancellationToken.None));
    }

    [Fact]
    public async Task AQueuedTaskPastItsQueueTtlExpiresAsTheWorkerWouldHaveEndedIt()
    {
        var task = await WriteQueuedAsync(DateTimeOffset.UtcNow.AddSeconds(-5), deadline: null);

        await SweepAsync();

        var stored = (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!;
        Assert.Equal(TaskStatuses.Expired, stored.Status);
        Assert.Equal(TaskExpiry.QueueTtlCode, stored.Error!.Code);
    }

    [Fact]
    public async Task AQueuedTaskThatMayStillStartIsLeftQueued()
    {
        var task = await WriteQueuedAsync(DateTimeOffset.UtcNow.AddMinutes(30), deadline: null);

        await SweepAsync();

        Assert.Equal(TaskStatuses.Queued, (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!.Status);
        Assert.True(await InSweepIndexAsync(task.Id));
    }

    [Fact]
    public async Task AStartedTaskLeavesTheIndexAndIsNotExpiredByTheSweep()
    {
        var passed = DateTimeOffset.UtcNow.AddMinutes(-1);
        var task = await WriteQueuedAsync(passed, passed);
        Assert.True(await fixture.Tasks.TryStartAsync(task.Id, "worker-1", DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.False(await InSweepIndexAsync(task.Id));

        await SweepAsync();

        Assert.Equal(TaskStatuses.Running, (await fixture.Tasks.GetAsync(task.Id, CancellationToken.None))!.Status);
    }
}
