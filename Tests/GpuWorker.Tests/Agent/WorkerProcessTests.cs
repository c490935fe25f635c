using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>Crashes and shutdowns of real worker processes: a task is never lost and never finished twice.</summary>
public class WorkerProcessTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    /// <summary>Short leases, so a crashed worker's message comes back within seconds.</summary>
    private Dictionary<string, string?> Settings(string worker, int budgetSeconds = 90) => fixture.WorkerSettings(new Dictionary<string, string>
    {
        ["Worker:WorkerId"] = worker,
        ["Worker:VisibilityExtensionSeconds"] = "3",
        ["Worker:HeartbeatSeconds"] = "1",
        ["Worker:ShutdownBudgetSeconds"] = budgetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [Fact]
    public async Task WorkerKilledMidTaskIsReplacedAndTheTaskEndsOnceWithOneSetOfOutputs()
    {
        var task = await _tasks.SubmitAsync(TaskSeeder.Heavy);
        await using (var first = ServiceProcess.StartWorker(Settings("first")))
        {
            await Eventually.GetAsync(async () => await _tasks.GetAsync(task.Id) is { Status: TaskStatuses.Running, ProgressStep: > 0 } t ? t : null,
                "the first worker to start the task", seconds: 120);
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await using var second = ServiceProcess.StartWorker(Settings("second"));
        var done = await _tasks.TerminalAsync(task.Id, seconds: 180);

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Assert.Equal("second", done.Worker);
        Assert.Equal([$"outputs/{task.Id}/{task.Id}-0.png", $"outputs/{task.Id}/{task.Id}-1.png"], await _tasks.OutputKeysAsync(task.Id));
        Assert.Single(await _tasks.ResultsForAsync(task.Id));
        Assert.Contains("lease lapsed", second.Output);
    }

    [Fact]
    public async Task SigtermReleasesALongTaskAndAnotherWorkerCompletesIt()
    {
        var task = await _tasks.SubmitAsync(TaskSeeder.Heavy);
        await using var first = ServiceProcess.StartWorker(Settings("first", budgetSeconds: 1));
        await Eventually.GetAsync(async () => await _tasks.GetAsync(task.Id) is { Status: TaskStatuses.Running, ProgressStep: > 0 } t ? t : null,
            "the first worker to start the task", seconds: 120);

        first.Terminate();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await using var second = ServiceProcess.StartWorker(Settings("second"));
        var done = await _tasks.TerminalAsync(task.Id, seconds: 180);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("released for another worker", first.Output);
        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Assert.Equal("second", done.Worker);
        Assert.Single(await _tasks.ResultsForAsync(task.Id));
    }

    public void Dispose() => _tasks.Dispose();
}
