using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.Sns;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.Functions.Bench;

/// <summary>
/// What the emulators alone sustain for the backend work of one submit (a conditional DynamoDB put and an SNS publish
/// that fans out to a queue), driven directly with many requests in flight: the ceiling the API's figures sit under.
/// </summary>
public static class EmulatorCeiling
{
    public static async Task<LatencySummary> RunAsync(LocalAwsStack stack, int concurrency, TimeSpan duration)
    {
        using var dynamo = stack.Connection.CreateDynamoDbClient();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
        var sns = stack.Connection.CreateSnsClient(http);
        var table = stack.Resources["TasksTable"].Ref;
        var topic = stack.Resources["TasksTopic"].Ref;
        var runtime = stack.ServiceEnvironment()["Resources__Runtimes"].Split(',')[0];
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                var id = Guid.CreateVersion7().ToString("N");
                try
                {
                    await dynamo.PutItemAsync(new PutItemRequest
                    {
                        TableName = table,
                        Item = new Dictionary<string, AttributeValue>
                        {
                            ["pk"] = new() { S = id }, ["owner"] = new() { S = "ceiling" }, ["sk"] = new() { S = $"{DateTime.UtcNow:O}#{id}" },
                            ["status"] = new() { S = "queued" }, ["request"] = new() { S = """{"prompt":"a lighthouse at dusk, oil painting"}""" },
                        },
                        ConditionExpression = "attribute_not_exists(pk)",
                    });
                    await sns.PublishAsync(new SnsPublishRequest(topic, $$$"""{"id":"{{{id}}}","runtime":"{{{runtime}}}","parameters":{"prompt":"a lighthouse at dusk, oil painting"}}""",
                        new Dictionary<string, SnsMessageAttribute> { ["runtime"] = SnsMessageAttribute.String(runtime), ["task_type"] = SnsMessageAttribute.String("text-to-image") }));
                    latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is AmazonDynamoDBException or SnsException or HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        return LatencySummary.From(latencies, failed, clock.Elapsed);
    }
}
