using System.Net;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Tests.Callbacks.Events;

/// <summary>
/// The emulators with serverless.template provisioned, a webhook receiver on 127.0.0.1, and the Functions app on
/// Kestrel in local dev mode with its local event poller on and webhook retries a second apart.
/// </summary>
public sealed class EventsFixture : LocalAwsFixture
{
    /// <summary>The documented local-dev secret (docs/webhooks.md), spelled out here rather than taken from the app.</summary>
    public const string LocalDevSecret = "whsec_c2RzZXJ2ZXJsZXNzLWxvY2FsLWRldi13ZWJob29rLXNlY3JldA==";

    public const string RotatingOwner = "key-rotating";
    public const string OldSecret = "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQ=";
    public const string NewSecret = "whsec_bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQ=";

    private WebApplicationFactory<Program>? _factory;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public IAmazonSQS Sqs { get; private set; } = null!;

    public IAmazonDynamoDB DynamoDb { get; private set; } = null!;

    public TaskTable Tasks => new(DynamoDb, Stack.Resources["TasksTable"].Ref);

    public string ResultsQueueUrl => Stack.Resources["ResultsQueue"].Ref;

    public string ResultsQueueArn => Stack.Resources["ResultsQueue"].Attributes["Arn"];

    public string DeadLetterQueueUrl => Stack.Resources["RuntimeDeadLetterQueuesdruntime"].Ref;

    public string DeadLetterQueueArn => Stack.Resources["RuntimeDeadLetterQueuesdruntime"].Attributes["Arn"];

    public HttpClient App { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Receiver = await WebhookReceiver.StartAsync();
        Sqs = Stack.Connection.CreateSqsClient();
        DynamoDb = Stack.Connection.CreateDynamoDbClient();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            foreach (var (name, value) in Stack.ServiceConfiguration())
            {
                host.UseSetting(name, value);
            }
            host.UseSetting("Api:LocalDevMode", "true");
            host.UseSetting("Events:LocalPoller", "true");
            host.UseSetting("Events:LocalPollerWaitSeconds", "1");
            host.UseSetting("Webhooks:RetryDelays:0", "00:00:01");
            host.UseSetting("Webhooks:RetryDelays:1", "00:00:01");
            host.UseSetting("Webhooks:Timeout", "00:00:05");
            host.UseSetting("Webhooks:Secrets:0:Owner", RotatingOwner);
            host.UseSetting("Webhooks:Secrets:0:Secret", OldSecret);
            host.UseSetting("Webhooks:Secrets:1:Owner", RotatingOwner);
            host.UseSetting("Webhooks:Secrets:1:Secret", NewSecret);
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        App = _factory.CreateClient();
    }

    public override async Task DisposeAsync()
    {
        App.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        await Receiver.DisposeAsync();
        Sqs.Dispose();
        DynamoDb.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A task in the table as the API would have written it, then started by a worker unless <paramref name="queued"/>.</summary>
    public async Task<TaskRecord> CreateTaskAsync(
        string? callbackUrl, IReadOnlyList<string>? webhookEvents = null, string owner = "local-dev", bool queued = false)
    {
        var now = DateTimeOffset.UtcNow;
        var task = new TaskRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Owner = owner,
            Status = TaskStatuses.Queued,
            Runtime = "sdruntime",
            TaskType = TaskTypes.TextToImage,
            RequestJson = """{"prompt":"a lighthouse"}""",
            RequestHash = "0",
            Output = new TaskOutputLocation(Stack.Resources["OutputBucket"].Ref, "outputs"),
            CreatedAt = now,
            CallbackUrl = callbackUrl,
            WebhookEvents = webhookEvents ?? (callbackUrl is null ? [] : ["completed"]),
            MetadataJson = """{"order":42}""",
            ExpiresAt = now.AddDays(1).ToUnixTimeSeconds(),
        };
        await Tasks.CreateAsync(task, CancellationToken.None);
        if (!queued)
        {
            Assert.True(await Tasks.TryStartAsync(task.Id, "worker-1", now, CancellationToken.None));
        }
        return (await Tasks.GetAsync(task.Id, CancellationToken.None))!;
    }

    public async Task<TaskRecord> WaitForTaskAsync(string id, Func<TaskRecord, bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            var task = await Tasks.GetAsync(id, CancellationToken.None);
            if (task is not null && condition(task))
            {
                return task;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Task {id} never reached the expected state: {await Tasks.GetAsync(id, CancellationToken.None)}");
    }
}

[CollectionDefinition(Name)]
public sealed class EventsCollection : ICollectionFixture<EventsFixture>
{
    public const string Name = "events";
}
