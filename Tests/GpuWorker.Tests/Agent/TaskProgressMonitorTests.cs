using Microsoft.Extensions.Logging.Abstractions;
using SdServerless.GpuWorker.Agent;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent;

public class TaskProgressMonitorTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    [Fact]
    public async Task AStepPastTheTotalIsClampedAndCancellationIsStillNoticed()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);
        Assert.True(await _tasks.Table.TryStartAsync(task.Id, "monitored", DateTimeOffset.UtcNow, CancellationToken.None));
        var monitor = new TaskProgressMonitor(task.Id, _tasks.Table, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);

        monitor.Report(new DenoiseProgress(9, 4));
        await Eventually.TrueAsync(async () => await _tasks.GetAsync(task.Id) is { ProgressStep: 4, ProgressSteps: 4 }, "progress clamped to 4 of 4");
        await _tasks.Table.CancelAsync(task.Id, "tests", DateTimeOffset.UtcNow, CancellationToken.None);
        await Eventually.TrueAsync(() =>
        {
            monitor.Report(new DenoiseProgress(10, 4));
            return Task.FromResult(monitor.Canceled.IsCancellationRequested);
        }, "the cancel to be noticed");

        await monitor.DisposeAsync();
    }

    public void Dispose() => _tasks.Dispose();
}
