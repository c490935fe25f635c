using System.Text.Json;
using Amazon.SQS.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.GpuWorker.Tests.Agent;

/// <summary>The worker announces a start on the results topic only for tasks that asked for the task.started webhook.</summary>
public class StartNotificationTests(AgentFixture fixture) : IClassFixture<AgentFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);

    [Fact]
    public async Task StartIsPublishedOnlyWhenTheTaskAskedForIt()
    {
        var asked = await RecordAsync(["completed", "start"]);
        var notAsked = await RecordAsync(["completed"]);
        await using var worker = await InProcessWorker.StartAsync(fixture.WorkerSettings());
        await _tasks.PublishAsync(TaskSeeder.Serialize(asked));
        await _tasks.PublishAsync(TaskSeeder.Serialize(notAsked));
        await _tasks.TerminalAsync(asked.Id);
        await _tasks.TerminalAsync(notAsked.Id);

        var messages = await DrainResultsAsync([asked.Id, notAsked.Id], expected: 3);

        var start = Assert.Single(messages, m => m.Event == TaskStarted.EventName);
        var started = JsonSerializer.Deserialize(start.Body, ContractsJsonContext.Default.TaskStarted)!;
        Assert.Equal(asked.Id, started.Id);
        Assert.Equal((await _tasks.GetAsync(asked.Id))!.StartedAt, started.StartedAt);
        Assert.Equal(2, messages.Count(m => m.Event is null));
    }

    private async Task<GenerateImageRequested> RecordAsync(IReadOnlyList<string> webhookEvents)
    {
        var id = $"t{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var output = new TaskOutputLocation(_tasks.Bucket, "outputs");
        await _tasks.Table.CreateAsync(new TaskRecord
        {
            Id = id,
            Owner = "tests",
            Status = TaskStatuses.Queued,
            Runtime = "sdruntime",
            TaskType = TaskTypes.TextToImage,
            RequestJson = "{}",
            RequestHash = id,
            Output = output,
            CreatedAt = now,
            CallbackUrl = "https://hooks.example.com/sd",
            WebhookEvents = webhookEvents,
            ExpiresAt = now.AddDays(1).ToUnixTimeSeconds(),
        }, CancellationToken.None);
        return new GenerateImageRequested(id, "sdruntime", TaskTypes.TextToImage, TaskSeeder.Quick, output, now);
    }

    private async Task<List<(string Body, string? Event)>> DrainResultsAsync(IReadOnlyList<string> ids, int expected)
    {
        var found = new List<(string Body, string? Event)>();
        for (var round = 0; round < 30 && found.Count < expected; round++)
        {
            var response = await _tasks.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = _tasks.ResultsQueue, MaxNumberOfMessages = 10, WaitTimeSeconds = 1, MessageAttributeNames = ["All"],
            });
            foreach (var message in response.Messages ?? [])
            {
                await _tasks.Sqs.DeleteMessageAsync(_tasks.ResultsQueue, message.ReceiptHandle);
                var eventName = message.MessageAttributes?.GetValueOrDefault(MessageAttributeNames.Event)?.StringValue;
                if (eventName != TaskProgressed.EventName && ids.Any(id => message.Body.Contains($"\"id\":\"{id}\"", StringComparison.Ordinal)))
                {
                    found.Add((message.Body, message.MessageAttributes?.GetValueOrDefault(MessageAttributeNames.Event)?.StringValue));
                }
            }
        }
        return found;
    }

    public void Dispose() => _tasks.Dispose();
}
