using Amazon.S3.Model;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>Outputs of a task with a retention class carry its tag, for the bucket's lifecycle rule of that class (0347).</summary>
public class OutputRetentionTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    [Fact]
    public async Task OutputsOfATaskWithARetentionClassCarryItsTag()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);
        await _tasks.PublishAsync(TaskSeeder.Serialize(task with { RetentionDays = 7 }));

        var done = await _tasks.TerminalAsync(task.Id);
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        var tagging = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _tasks.Bucket, Key = $"outputs/{task.Id}/{task.Id}-0.png" });

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        var tag = Assert.Single(tagging.Tagging);
        Assert.Equal((OutputRetention.TagKey, "7d"), (tag.Key, tag.Value));
    }

    [Fact]
    public async Task OutputsOfATaskWithoutARetentionClassCarryNoTag()
    {
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        var task = await _tasks.SubmitAsync(TaskSeeder.Quick);

        var done = await _tasks.TerminalAsync(task.Id);
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        var tagging = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _tasks.Bucket, Key = $"outputs/{task.Id}/{task.Id}-0.png" });

        Assert.Equal(TaskStatuses.Succeeded, done.Status);
        Assert.Empty(tagging.Tagging ?? []);
    }

    public void Dispose() => _tasks.Dispose();
}
