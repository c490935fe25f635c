using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.TaskStore;

/// <summary>The conditional transitions the API, the worker and the callback rely on, against the DynamoDB emulator.</summary>
[Collection(ApiCollection.Name)]
public class TaskTableTests(ApiFixture fixture)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-01T12:00:00Z");

    private async Task<TaskRecord> CreateAsync(string owner = "table-tests")
    {
        var id = Guid.CreateVersion7().ToString("N");
        var task = new TaskRecord
        {
            Id = id, Owner = owner, Status = TaskStatuses.Queued, Runtime = "sdruntime", TaskType = TaskTypes.TextToImage,
            RequestJson = "{}", RequestHash = "h", Output = new TaskOutputLocation(fixture.OutputBucket, "outputs"), CreatedAt = Now,
            ExpiresAt = Now.AddDays(30).ToUnixTimeSeconds(), WebhookEvents = ["completed", "start"], MetadataJson = """{"a":1}""",
        };
        Assert.True((await fixture.Tasks.CreateAsync(task, default)).Created);
        return task;
    }

    [Fact]
    public async Task RecordRoundTripsThroughTheTable()
    {
        var task = await CreateAsync();

        var read = await fixture.Tasks.GetAsync(task.Id, default);

        Assert.NotNull(read);
        Assert.Equal(task, read with { Outputs = task.Outputs, WebhookEvents = task.WebhookEvents });
        Assert.Equal(task.WebhookEvents, read.WebhookEvents);
    }

    [Fact]
    public async Task CreatingAnExistingIdWritesNothingAndReturnsTheExistingTask()
    {
        var task = await CreateAsync();

        var again = await fixture.Tasks.CreateAsync(task with { Owner = "someone-else" }, default);

        Assert.False(again.Created);
        Assert.Equal("table-tests", again.Task.Owner);
    }

    [Fact]
    public async Task HappyPathRunsQueuedRunningSucceeded()
    {
        var task = await CreateAsync();
        TaskOutput[] outputs = [new($"s3://{fixture.OutputBucket}/outputs/{task.Id}/{task.Id}-0.png", 1234)];

        Assert.True(await fixture.Tasks.TryStartAsync(task.Id, "pod-a", Now.AddSeconds(2), default));
        Assert.False(await fixture.Tasks.TryStartAsync(task.Id, "pod-b", Now.AddSeconds(3), default));
        Assert.True(await fixture.Tasks.UpdateProgressAsync(task.Id, 5, 20, default));
        Assert.True(await fixture.Tasks.CompleteAsync(task.Id, TaskStatuses.Succeeded, outputs, null, new PromptTokenCounts(12, 0, 77), Now.AddSeconds(9), default));
        Assert.False(await fixture.Tasks.CompleteAsync(task.Id, TaskStatuses.Failed, [], new TaskError("late", "too late"), null, Now.AddSeconds(10), default));
        Assert.False(await fixture.Tasks.UpdateProgressAsync(task.Id, 6, 20, default));

        var done = (await fixture.Tasks.GetAsync(task.Id, default))!;
        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Assert.Equal("pod-a", done.Worker);
        Assert.Equal(Now.AddSeconds(2), done.StartedAt);
        Assert.Equal(Now.AddSeconds(9), done.FinishedAt);
        Assert.Equal((5, 20), (done.ProgressStep, done.ProgressSteps));
        Assert.Equal(outputs, done.Outputs);
        Assert.Equal(new PromptTokenCounts(12, 0, 77), done.PromptTokens);
        Assert.Null(done.Error);
    }

    [Fact]
    public async Task FailureKeepsItsError()
    {
        var task = await CreateAsync();

        Assert.True(await fixture.Tasks.CompleteAsync(task.Id, TaskStatuses.Failed, [], new TaskError("oom", "out of memory"), null, Now, default));

        var failed = (await fixture.Tasks.GetAsync(task.Id, default))!;
        Assert.Equal(new TaskError("oom", "out of memory"), failed.Error);
        Assert.Null(failed.PromptTokens);
    }

    [Fact]
    public async Task CompleteRefusesANonTerminalStatus() =>
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Tasks.CompleteAsync("x", TaskStatuses.Running, [], null, null, Now, default));

    [Fact]
    public async Task CancelRacingWithStartEndsConsistently()
    {
        for (var round = 0; round < 10; round++)
        {
            var task = await CreateAsync();
            var start = Task.Run(() => fixture.Tasks.TryStartAsync(task.Id, "pod", Now, default));
            var cancel = Task.Run(() => fixture.Tasks.CancelAsync(task.Id, task.Owner, Now, default));
            var (started, canceled) = (await start, await cancel);

            var final = (await fixture.Tasks.GetAsync(task.Id, default))!;
            // Cancel wins from queued or from running; either way the task ends canceled and the worker must stop.
            Assert.Equal(CancelResult.Canceled, canceled.Result);
            Assert.Equal(TaskStatuses.Canceled, final.Status);
            Assert.Equal(started, final.Worker is not null);
            Assert.False(await fixture.Tasks.UpdateProgressAsync(task.Id, 1, 2, default));
            Assert.False(await fixture.Tasks.TryStartAsync(task.Id, "pod-late", Now, default));
        }
    }

    [Fact]
    public async Task CancelRacingWithCompletionLeavesExactlyOneTerminalState()
    {
        for (var round = 0; round < 10; round++)
        {
            var task = await CreateAsync();
            await fixture.Tasks.TryStartAsync(task.Id, "pod", Now, default);
            var complete = Task.Run(() => fixture.Tasks.CompleteAsync(task.Id, TaskStatuses.Succeeded, [], null, null, Now, default));
            var cancel = Task.Run(() => fixture.Tasks.CancelAsync(task.Id, task.Owner, Now, default));
            var (completed, canceled) = (await complete, await cancel);

            var final = (await fixture.Tasks.GetAsync(task.Id, default))!.Status;
            Assert.NotEqual(completed, canceled.Result == CancelResult.Canceled);
            Assert.Equal(completed ? TaskStatuses.Succeeded : TaskStatuses.Canceled, final);
        }
    }

    [Fact]
    public async Task ListingPagesByOwnerNewestFirst()
    {
        var owner = $"pager-{Guid.NewGuid():N}";
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = $"{i}-{Guid.NewGuid():N}";
            ids.Add(id);
            await fixture.Tasks.CreateAsync(new TaskRecord
            {
                Id = id, Owner = owner, Status = i % 2 == 0 ? TaskStatuses.Queued : TaskStatuses.Failed, Runtime = "sdruntime",
                TaskType = TaskTypes.TextToImage, RequestJson = "{}", RequestHash = "h", Output = new TaskOutputLocation("b", "outputs"),
                CreatedAt = Now.AddMinutes(i), ExpiresAt = 0,
            }, default);
        }

        var first = await fixture.Listing.ListByOwnerAsync(owner, null, 3, null, default);
        var second = await fixture.Listing.ListByOwnerAsync(owner, null, 3, first.NextCursor, default);
        var queued = await fixture.Listing.ListByOwnerAsync(owner, TaskStatuses.Queued, 2, null, default);

        Assert.Equal([ids[4], ids[3], ids[2]], first.Tasks.Select(t => t.Id));
        Assert.Equal([ids[1], ids[0]], second.Tasks.Select(t => t.Id));
        Assert.Null(second.NextCursor);
        Assert.Equal([ids[4], ids[2]], queued.Tasks.Select(t => t.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Listing.ListByOwnerAsync(owner, null, 3, "garbage!", default));
    }

    [Fact]
    public async Task IdempotencyClaimIsHeldUntilItExpires()
    {
        var records = new IdempotencyRecords(fixture.DynamoDb, fixture.Stack.Resources["TasksTable"].Ref);
        var key = Guid.NewGuid().ToString();

        var first = await records.ClaimAsync("owner", key, "task-1", "hash-1", Now, TimeSpan.FromHours(24), default);
        var held = await records.ClaimAsync("owner", key, "task-2", "hash-2", Now.AddHours(23), TimeSpan.FromHours(24), default);
        var expired = await records.ClaimAsync("owner", key, "task-3", "hash-3", Now.AddHours(25), TimeSpan.FromHours(24), default);

        Assert.True(first.Claimed);
        Assert.Equal(new IdempotencyClaim(false, "task-1", "hash-1"), held);
        Assert.Equal(new IdempotencyClaim(true, "task-3", "hash-3"), expired);
    }
}
