using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Agent;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>
/// The clocks a worker holds a task to (docs/decisions/0335), in process against real emulators and the tiny model: the
/// message's latest start, its deadline and the runtime's maximum execution time.
/// </summary>
public class TaskTimeLimitTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    [Fact]
    public async Task ATaskPastItsLatestStartExpiresWithoutStartingOrRunning()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);
        var startBy = DateTimeOffset.UtcNow.AddSeconds(-1);
        await _tasks.Sqs.SendMessageAsync(_tasks.RuntimeQueue, TaskSeeder.Serialize(task with { StartBy = startBy, Deadline = startBy }));

        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var done = await _tasks.TerminalAsync(task.Id);
        var result = Assert.Single(await _tasks.ResultsForAsync(task.Id));

        Assert.Equal(TaskStatuses.Expired, done.Status);
        Assert.Equal(TaskDeadlineErrors.DeadlineCode, done.Error!.Code);
        Assert.Null(done.StartedAt);
        Assert.Equal(0, done.Attempts);
        Assert.Equal(0, worker.Generations.Calls);
        Assert.Empty(await _tasks.OutputKeysAsync(task.Id));
        Assert.Equal(TaskStatuses.Expired, result.State);
    }

    [Fact]
    public async Task WithoutADeadlineThePassedQueueTtlExpiresTheTaskWithItsOwnReason()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);
        await _tasks.Sqs.SendMessageAsync(_tasks.RuntimeQueue, TaskSeeder.Serialize(task with { StartBy = DateTimeOffset.UtcNow.AddSeconds(-1) }));

        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Expired, done.Status);
        Assert.Equal(TaskDeadlineErrors.QueueTtlCode, done.Error!.Code);
        Assert.Equal(0, worker.Generations.Calls);
    }

    [Fact]
    public async Task ARunningTaskIsStoppedAtItsDeadlineAndEndsCanceledWithoutOutputs()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings(), stepPause: TimeSpan.FromMilliseconds(200));
        // A first task shows the worker is taking tasks, so the deadline is not spent on its start-up.
        await _tasks.TerminalAsync((await _tasks.SubmitAsync(TaskSeeder.Quick with { Steps = 1 })).Id);
        var task = await _tasks.RecordAsync(TaskSeeder.Slow);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(4);
        await _tasks.Sqs.SendMessageAsync(_tasks.RuntimeQueue, TaskSeeder.Serialize(task with { StartBy = deadline, Deadline = deadline }));
        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Canceled, done.Status);
        Assert.Equal(TaskDeadlineErrors.DeadlineCode, done.Error!.Code);
        Assert.NotNull(done.StartedAt);
        Assert.InRange(worker.Generations.LastStep, 1, TaskSeeder.Slow.Steps - 1);
        Assert.Equal(2, worker.Generations.Calls);
        Assert.Empty(await _tasks.OutputKeysAsync(task.Id));
        Assert.Equal(TaskStatuses.Canceled, Assert.Single(await _tasks.ResultsForAsync(task.Id)).State);
    }

    [Fact]
    public async Task ATaskOverTheMaximumExecutionTimeFailsWithTimeoutOnItsFirstAttempt()
    {
        var task = await _tasks.SubmitAsync(TaskSeeder.Slow);

        await using var worker = await InProcessWorker.StartAsync(
            fixture.WorkerSettings(new Dictionary<string, string> { ["Worker:MaxExecutionSeconds"] = "2" }), stepPause: TimeSpan.FromMilliseconds(200));
        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Failed, done.Status);
        Assert.Equal(TaskDeadlineErrors.TimeoutCode, done.Error!.Code);
        Assert.Equal(1, done.Attempts);
        Assert.Equal(1, worker.Generations.Calls);
        Assert.Empty(await _tasks.OutputKeysAsync(task.Id));
    }

    public void Dispose() => _tasks.Dispose();
}
