using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Agent;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>
/// Attempts lost with their worker count against a task, attempts a worker hands back on shutdown never do. A worker that
/// vanishes leaves exactly what these tests seed: the task running, one more attempt, no release.
/// </summary>
public class WorkerLossTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private const int MaxCrashedAttempts = 5;
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    [Fact]
    public async Task ATaskWhoseWorkersVanishEveryTimeEndsFailedWithWorkerLostWithoutRunningAgain()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);
        await VanishAsync(task.Id, MaxCrashedAttempts);
        await _tasks.PublishAsync(TaskSeeder.Serialize(task));

        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Failed, done.Status);
        Assert.Equal(TaskStarter.WorkerLostCode, done.Error!.Code);
        Assert.Contains($"{MaxCrashedAttempts} times", done.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, worker.Generations.Calls);
        Assert.Equal(TaskStarter.WorkerLostCode, Assert.Single(await _tasks.ResultsForAsync(task.Id)).Error!.Code);
    }

    [Fact]
    public async Task AnAttemptHandedBackOnShutdownNeverCountsAgainstTheTask()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Slow);
        await VanishAsync(task.Id, MaxCrashedAttempts - 1);
        await _tasks.PublishAsync(TaskSeeder.Serialize(task));

        var settings = fixture.WorkerSettings(new Dictionary<string, string> { ["Worker:ShutdownBudgetSeconds"] = "0", ["Worker:WorkerId"] = "stopping" });
        var stopping = await InProcessWorker.StartAsync(settings, stepPause: TimeSpan.FromMilliseconds(200));
        await Eventually.TrueAsync(async () => await _tasks.GetAsync(task.Id) is { Worker: "stopping", ProgressStep: > 0 }, "the task running on the worker that stops");
        await stopping.DisposeAsync();

        var released = await _tasks.GetAsync(task.Id);
        Assert.Equal((MaxCrashedAttempts, 1, MaxCrashedAttempts - 1), (released!.Attempts, released.Releases, released.CrashedAttempts));

        await using var next = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var done = await _tasks.TerminalAsync(task.Id);
        Assert.Equal(TaskStatuses.Succeeded, done.Status);
    }

    /// <summary>What <paramref name="times"/> workers killed mid-task leave behind: the first started it, each later one took it over.</summary>
    private async Task VanishAsync(string id, int times)
    {
        Assert.True(await _tasks.Table.TryStartAsync(id, "vanished-1", DateTimeOffset.UtcNow, CancellationToken.None));
        for (var i = 2; i <= times; i++)
        {
            Assert.True(await _tasks.Table.TakeOverAsync(id, $"vanished-{i}", CancellationToken.None));
        }
        Assert.Equal(times, (await _tasks.GetAsync(id))!.CrashedAttempts);
    }

    public void Dispose() => _tasks.Dispose();
}
