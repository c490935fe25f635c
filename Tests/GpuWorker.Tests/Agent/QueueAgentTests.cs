using Microsoft.Extensions.DependencyInjection;
using SdServerless.GpuWorker.Agent;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>The queue agent in process against real emulators and the tiny model.</summary>
public class QueueAgentTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    [Fact]
    public async Task TaskSucceedsWithOutputsAtDeterministicKeysAndOneResult()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick with { BatchSize = 2 });

        var done = await _tasks.TerminalAsync(task.Id);
        var result = Assert.Single(await _tasks.ResultsForAsync(task.Id));

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Assert.Equal([$"outputs/{task.Id}/{task.Id}-0.png", $"outputs/{task.Id}/{task.Id}-1.png"], await _tasks.OutputKeysAsync(task.Id));
        Assert.Equal([42L, 43L], done.Outputs.Select(o => o.Seed));
        Assert.True(result.Result);
        Assert.Equal(ImageGenerated.StatusCompleted, result.Status);
        Assert.Equal($"s3://{_tasks.Bucket}/outputs/{task.Id}", result.OutputUrl);
        Assert.Equal(done.Outputs.Select(o => o.S3Uri), result.ImageUrl);
        Assert.NotNull(result.RunMs);
        Assert.Equal(0, await _tasks.VisibleAndInFlightAsync(_tasks.RuntimeQueue));
    }

    [Fact]
    public async Task TheTokensALongPromptUsedAreRecordedOnTheTaskAndInItsResult()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var cats = string.Join(' ', Enumerable.Repeat("cat", 75));
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick with { Prompt = cats + " dog", NegativePrompt = "cat cat" });

        var done = await _tasks.TerminalAsync(task.Id);
        var result = Assert.Single(await _tasks.ResultsForAsync(task.Id));

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Assert.Equal(new PromptTokenCounts(76, 2, 154), done.PromptTokens);
        Assert.Equal(new PromptTokenCounts(76, 2, 154), result.PromptTokens);
    }

    [Fact]
    public async Task SameMessageDeliveredTwiceGivesOneResult()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);
        var body = TaskSeeder.Serialize(task);
        await _tasks.Sqs.SendMessageAsync(_tasks.RuntimeQueue, body);
        await _tasks.Sqs.SendMessageAsync(_tasks.RuntimeQueue, body);

        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        await _tasks.TerminalAsync(task.Id);
        await Eventually.TrueAsync(async () => await _tasks.VisibleAndInFlightAsync(_tasks.RuntimeQueue) == 0, "both copies to be consumed");

        Assert.Single(await _tasks.ResultsForAsync(task.Id));
        Assert.Equal(1, worker.Generations.Calls);
        Assert.Single(await _tasks.OutputKeysAsync(task.Id));
    }

    [Fact]
    public async Task TaskCanceledWhileQueuedIsSkippedWithoutOutputs()
    {
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick);
        var canceled = await _tasks.Table.CancelAsync(task.Id, "tests", DateTimeOffset.UtcNow, CancellationToken.None);

        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        await Eventually.TrueAsync(async () => await _tasks.VisibleAndInFlightAsync(_tasks.RuntimeQueue) == 0, "the message to be consumed");
        var result = Assert.Single(await _tasks.ResultsForAsync(task.Id));

        Assert.Equal(TaskStatuses.Canceled, canceled.Task!.Status);
        Assert.Equal(TaskStatuses.Canceled, (await _tasks.GetAsync(task.Id))!.Status);
        Assert.Equal(TaskStatuses.Canceled, result.State);
        Assert.Equal(0, worker.Generations.Calls);
        Assert.Empty(await _tasks.OutputKeysAsync(task.Id));
    }

    [Fact]
    public async Task TaskCanceledWhileRunningStopsWithinStepsAndWritesNoOutputs()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings(), stepPause: TimeSpan.FromMilliseconds(100));
        var task = await _tasks.SubmitAsync(TaskSeeder.Slow);
        var running = await Eventually.GetAsync(async () => await _tasks.GetAsync(task.Id) is { ProgressStep: > 2 } t ? t : null, "the task to make progress");

        await _tasks.Table.CancelAsync(task.Id, "tests", DateTimeOffset.UtcNow, CancellationToken.None);
        await Eventually.TrueAsync(async () => await _tasks.VisibleAndInFlightAsync(_tasks.RuntimeQueue) == 0, "the message to be deleted");

        Assert.Equal(TaskStatuses.Running, running.Status);
        Assert.Equal(TaskStatuses.Canceled, (await _tasks.GetAsync(task.Id))!.Status);
        // Without in-loop cancellation the loop would run all its steps and only then find the task canceled.
        Assert.InRange(worker.Generations.LastStep, 1, TaskSeeder.Slow.Steps - 10);
        Assert.Empty(await _tasks.OutputKeysAsync(task.Id));
        Assert.Equal(TaskStatuses.Canceled, Assert.Single(await _tasks.ResultsForAsync(task.Id)).State);
    }

    [Fact]
    public async Task TaskLongerThanTheVisibilityTimeoutRunsOnce()
    {
        var settings = fixture.WorkerSettings(new Dictionary<string, string>
        {
            ["Worker:VisibilityExtensionSeconds"] = "2",
            ["Worker:HeartbeatSeconds"] = "1",
            ["Worker:Concurrency"] = "2",
        });
        await using var worker = await InProcessWorker.StartAsync(settings, stepPause: TimeSpan.FromMilliseconds(100));
        var task = await _tasks.SubmitAsync(TaskSeeder.Slow);

        var done = await _tasks.TerminalAsync(task.Id, seconds: 120);

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Assert.True(done.FinishedAt - done.StartedAt > TimeSpan.FromSeconds(2), "the task must outlast one visibility timeout for this test to mean anything");
        Assert.Equal(1, worker.Generations.Calls);
        Assert.Single(await _tasks.ResultsForAsync(task.Id));
    }

    [Fact]
    public async Task PoisonMessageReachesTheDeadLetterQueue()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var body = $"not a task {Guid.NewGuid():N}";
        await _tasks.PublishAsync(body);

        await Eventually.TrueAsync(async () =>
        {
            var response = await _tasks.Sqs.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = _tasks.DeadLetterQueue, MaxNumberOfMessages = 10 });
            return response.Messages?.Any(m => m.Body == body) == true;
        }, "the poison message in the DLQ");
    }

    [Fact]
    public async Task ClaimCheckPayloadIsFetchedFromS3()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var task = await _tasks.RecordAsync(TaskSeeder.Quick with { Prompt = "from the claim check" });
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        var key = $"payloads/{task.Id}.json";
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = _tasks.Bucket, Key = key, ContentBody = TaskSeeder.Serialize(task) });
        await _tasks.PublishAsync(TaskSeeder.Serialize(task with { Parameters = task.Parameters with { Prompt = "" }, PayloadS3Uri = $"s3://{_tasks.Bucket}/{key}" }));

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Assert.Single(await _tasks.OutputKeysAsync(task.Id));
    }

    [Fact]
    public async Task AnInitImageWhoseHeaderStatesTooManyPixelsFailsTheTaskOnItsFirstAttempt()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var huge = Convert.ToBase64String(Diffusion.Imaging.CraftedImageHeaders.Png(14000, 14000));
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick with { InitImages = [$"data:image/png;base64,{huge}"] }, TaskTypes.ImageToImage);

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Failed, done.Status);
        Assert.Equal("init_image_too_large", done.Error!.Code);
        Assert.Equal(1, done.Attempts);
    }

    [Fact]
    public async Task InvalidInitImageFailsTheTaskWithAReason()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick with { InitImages = ["data:image/png;base64,bm90IGFuIGltYWdl"] }, TaskTypes.ImageToImage);

        var done = await _tasks.TerminalAsync(task.Id);
        var result = Assert.Single(await _tasks.ResultsForAsync(task.Id));

        Assert.Equal(TaskStatuses.Failed, done.Status);
        Assert.NotNull(done.Error);
        Assert.False(string.IsNullOrWhiteSpace(done.Error!.Message));
        Assert.False(result.Result);
        Assert.Equal(ImageGenerated.StatusFailed, result.Status);
        Assert.Equal(done.Error.Code, result.Error!.Code);
        Assert.Empty(await _tasks.OutputKeysAsync(task.Id));
    }

    [Fact]
    public async Task AnEngineFaultReleasesTheTaskWhichThenSucceedsInsteadOfFailing()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings(new Dictionary<string, string> { ["Worker:FaultPauseSeconds"] = "1" }));
        worker.Generations.InjectFaults(1);
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick);

        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Assert.Equal(2, worker.Generations.Calls);
        Assert.Equal(TaskStatuses.Succeeded, Assert.Single(await _tasks.ResultsForAsync(task.Id)).State);
    }

    [Fact]
    public async Task AWorkerWhoseModelCannotLoadTakesNoTaskAndAHealthyOneRunsIt()
    {
        var broken = Directory.CreateTempSubdirectory("sdserverless-broken-model").FullName;
        File.WriteAllText(Path.Combine(broken, "model_index.json"), "{}");
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick);
        try
        {
            await using var sick = await InProcessWorker.StartAsync(fixture.WorkerSettings(new Dictionary<string, string> { ["Worker:Model"] = broken }));
            var lifetime = sick.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
            await Eventually.TrueAsync(() => Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested), "the broken worker to stop");
            Assert.Equal(0, sick.Generations.Calls);
            Assert.False(sick.Services.GetRequiredService<WorkerState>().GeneratorReady);
        }
        catch (OperationCanceledException)
        {
            // The model failed so fast that the worker stopped while still starting.
        }
        Assert.Equal(TaskStatuses.Queued, (await _tasks.GetAsync(task.Id))!.Status);
        var queue = await _tasks.Sqs.GetQueueAttributesAsync(_tasks.RuntimeQueue, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal((1, 0), (queue.ApproximateNumberOfMessages, queue.ApproximateNumberOfMessagesNotVisible));

        await using var healthy = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var done = await _tasks.TerminalAsync(task.Id);

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Directory.Delete(broken, recursive: true);
    }

    public void Dispose() => _tasks.Dispose();
}
