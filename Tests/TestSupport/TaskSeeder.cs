using System.Text.Json;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using SdServerless.Aws.Sns;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.TestSupport;

/// <summary>Records tasks and routes their messages the way the API does, and reads what the worker produced.</summary>
public sealed class TaskSeeder(LocalAwsStack stack) : IDisposable
{
    private readonly HttpClient _http = new();

    public TaskTable Table { get; } = new(stack.Connection.CreateDynamoDbClient(), stack.Resources["TasksTable"].Ref);

    public IAmazonSQS Sqs { get; } = stack.Connection.CreateSqsClient();

    /// <summary>The results topic, as a worker publishes on it.</summary>
    public ResultTopic Results => new(stack.Connection.CreateSnsClient(_http), stack.Resources["ResultsTopic"].Ref);

    public string Bucket => stack.Resources["OutputBucket"].Ref;

    public string RuntimeQueue => stack.Resources["RuntimeQueuesdruntime"].Ref;

    public string DeadLetterQueue => stack.Resources["RuntimeDeadLetterQueuesdruntime"].Ref;

    public string ResultsQueue => stack.Resources["ResultsQueue"].Ref;

    public static GenerationParameters Quick => new() { Prompt = "a red cube", Width = 64, Height = 64, Steps = 4, Seed = 42, SamplerName = "Euler" };

    /// <summary>Many steps: with a paced engine (in process) or at full size (a worker process), long enough to interrupt.</summary>
    public static GenerationParameters Slow => new() { Prompt = "a slow one", Width = 64, Height = 64, Steps = 60, Seed = 7, SamplerName = "Euler" };

    /// <summary>About seven seconds of real denoising with the tiny model on two cores.</summary>
    public static GenerationParameters Heavy => new() { Prompt = "a heavy one", Width = 2048, Height = 2048, Steps = 150, BatchSize = 2, Seed = 9, SamplerName = "Euler" };

    public async Task<GenerateImageRequested> RecordAsync(GenerationParameters parameters, string taskType = TaskTypes.TextToImage)
    {
        var id = $"t{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var output = new TaskOutputLocation(Bucket, "outputs");
        await Table.CreateAsync(new TaskRecord
        {
            Id = id,
            Owner = "tests",
            Status = TaskStatuses.Queued,
            Runtime = "sdruntime",
            TaskType = taskType,
            RequestJson = JsonSerializer.Serialize(parameters, ContractsJsonContext.Default.GenerationParameters),
            RequestHash = id,
            Output = output,
            CreatedAt = now,
            ExpiresAt = now.AddDays(1).ToUnixTimeSeconds(),
        }, CancellationToken.None);
        return new GenerateImageRequested(id, "sdruntime", taskType, parameters, output, now);
    }

    public async Task<GenerateImageRequested> SubmitAsync(GenerationParameters parameters, string taskType = TaskTypes.TextToImage)
    {
        var message = await RecordAsync(parameters, taskType);
        await PublishAsync(Serialize(message));
        return message;
    }

    public Task PublishAsync(string body) =>
        stack.Connection.CreateSnsClient(_http).PublishAsync(new SnsPublishRequest(stack.Resources["TasksTopic"].Ref, body,
            new Dictionary<string, SnsMessageAttribute>
            {
                [MessageAttributeNames.Runtime] = SnsMessageAttribute.String("sdruntime"),
                [MessageAttributeNames.TaskType] = SnsMessageAttribute.String(TaskTypes.TextToImage),
            }));

    public static string Serialize(GenerateImageRequested message) =>
        JsonSerializer.Serialize(message, ContractsJsonContext.Default.GenerateImageRequested);

    public Task<TaskRecord?> GetAsync(string id) => Table.GetAsync(id, CancellationToken.None);

    public Task<TaskRecord> TerminalAsync(string id, int seconds = 60) =>
        Eventually.GetAsync(async () => await GetAsync(id) is { } task && TaskStatuses.IsTerminal(task.Status) ? task : null, $"task {id} to end", seconds);

    public async Task<List<string>> OutputKeysAsync(string id)
    {
        using var s3 = stack.Connection.CreateS3Client();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = $"outputs/{id}/" });
        return (listed.S3Objects ?? []).Select(o => o.Key).Order().ToList();
    }

    /// <summary>Every result message for <paramref name="id"/> that arrives within a few seconds (others, and start and progress notifications, are deleted too).</summary>
    public async Task<List<ImageGenerated>> ResultsForAsync(string id, int quietSeconds = 2)
    {
        var found = new List<ImageGenerated>();
        var quietUntil = DateTime.UtcNow.AddSeconds(quietSeconds);
        while (DateTime.UtcNow < quietUntil)
        {
            var response = await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = ResultsQueue, MaxNumberOfMessages = 10, WaitTimeSeconds = 1, MessageAttributeNames = ["All"],
            });
            foreach (var message in response.Messages ?? [])
            {
                if (message.MessageAttributes?.ContainsKey(MessageAttributeNames.Event) == true)
                {
                    // A start or progress notification, not a result.
                    await Sqs.DeleteMessageAsync(ResultsQueue, message.ReceiptHandle);
                    continue;
                }
                var result = JsonSerializer.Deserialize(message.Body, ContractsJsonContext.Default.ImageGenerated)!;
                if (result.Id == id)
                {
                    found.Add(result);
                    quietUntil = DateTime.UtcNow.AddSeconds(quietSeconds);
                }
                await Sqs.DeleteMessageAsync(ResultsQueue, message.ReceiptHandle);
            }
        }
        return found;
    }

    public async Task<int> VisibleAndInFlightAsync(string queue)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(queue, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    public void Dispose()
    {
        Sqs.Dispose();
        _http.Dispose();
    }
}
