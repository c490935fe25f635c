using System.Text.Json;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging.Abstractions;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
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
        var monitor = new TaskProgressMonitor(task.Id, task.Runtime, _tasks.Table, _tasks.Results, TimeSpan.Zero, TimeProvider.System, NullLogger.Instance);

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

    [Fact]
    public async Task RecordedProgressIsPublishedOnTheResultsTopic()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);
        Assert.True(await _tasks.Table.TryStartAsync(task.Id, "monitored", DateTimeOffset.UtcNow, CancellationToken.None));
        var monitor = new TaskProgressMonitor(task.Id, task.Runtime, _tasks.Table, _tasks.Results, TimeSpan.FromMinutes(1), TimeProvider.System, NullLogger.Instance);

        monitor.Report(new DenoiseProgress(1, 4));
        await Eventually.TrueAsync(async () => await _tasks.GetAsync(task.Id) is { ProgressStep: 1 }, "the first step written");
        monitor.Report(new DenoiseProgress(2, 4)); // within the interval: neither written nor published
        monitor.Report(new DenoiseProgress(4, 4)); // the last step always is
        await monitor.DisposeAsync();

        var published = new List<TaskProgressed>();
        await Eventually.TrueAsync(async () =>
        {
            var received = await _tasks.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = _tasks.ResultsQueue, MaxNumberOfMessages = 10, WaitTimeSeconds = 1, MessageAttributeNames = ["All"],
            });
            foreach (var message in received.Messages ?? [])
            {
                Assert.Equal(TaskProgressed.EventName, message.MessageAttributes[MessageAttributeNames.Event].StringValue);
                // The class's other test publishes progress of its own task on the same topic.
                if (JsonSerializer.Deserialize(message.Body, ContractsJsonContext.Default.TaskProgressed) is { } progress && progress.Id == task.Id)
                {
                    published.Add(progress);
                }
            }
            return published.Count >= 2;
        }, "two progress events");

        Assert.Equal([1, 4], published.Select(p => p.Step).Order());
        Assert.All(published, p => Assert.Equal(4, p.Steps));
    }

    public void Dispose() => _tasks.Dispose();
}
