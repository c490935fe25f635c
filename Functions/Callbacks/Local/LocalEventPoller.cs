using System.Net.Http.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SdServerless.Aws;
using SdServerless.Aws.Recording;
using SdServerless.Functions.Callbacks.Events;
using SdServerless.Functions.Callbacks.Sqs;

namespace SdServerless.Functions.Callbacks.Local;

/// <summary>
/// Local runs' stand-in for Lambda's SQS event source mappings: reads the results queue and every runtime's
/// dead-letter queue, posts what it receives to this app's own <c>/events</c> as a Lambda SQS event, deletes the records
/// the answer does not name in <c>batchItemFailures</c> and leaves those it names to come back, exactly as Lambda does.
/// Only started with <c>Events:LocalPoller=true</c>, which the AppHost sets and Lambda never does.
/// </summary>
public sealed partial class LocalEventPoller(
    IAmazonSQS sqs,
    ResourceNames resources,
    EventsOptions options,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<LocalEventPoller> logger) : BackgroundService
{
    private readonly HttpClient _self = new() { Timeout = TimeSpan.FromMinutes(5) };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Deployed, Lambda's event source mappings poll with the callback function's role.
        using var caller = AwsCallLog.As(SqsBatchProcessor.CallLogCaller);
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }
        _self.BaseAddress = OwnAddress();
        var queues = await ResolveQueuesAsync(stoppingToken);
        LogStarted(logger, _self.BaseAddress, string.Join(", ", queues.Select(q => q.Arn)));
        await Task.WhenAll(queues.Select(queue => PollAsync(queue, stoppingToken)));
    }

    public override void Dispose()
    {
        _self.Dispose();
        base.Dispose();
    }

    private async Task PollAsync(LocalEventQueue queue, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(queue, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is AmazonSQSException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                LogPollFailed(logger, ex, queue.Url);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task PollOnceAsync(LocalEventQueue queue, CancellationToken stoppingToken)
    {
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queue.Url,
            MaxNumberOfMessages = Math.Clamp(options.LocalPollerBatchSize, 1, 10),
            WaitTimeSeconds = Math.Clamp(options.LocalPollerWaitSeconds, 0, 20),
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["All"],
        }, CancellationToken.None); // a long poll cut short can hide messages it already took; the wait is short instead
        if (received.Messages is not { Count: > 0 } messages)
        {
            return;
        }
        var region = sqs.Config.RegionEndpoint?.SystemName ?? sqs.Config.AuthenticationRegion ?? "us-east-1";
        var sqsEvent = new SqsEvent([.. messages.Select(m => SqsRecordMapper.ToRecord(m, queue, region))]);
        // The whole batch is handled or none of it: shutdown does not cut an event short, as Lambda would not.
        using var response = await _self.PostAsJsonAsync(EventSources.Path, sqsEvent, SqsEventJsonContext.Default.SqsEvent, CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            LogEventFailed(logger, (int)response.StatusCode, queue.Url, messages.Count);
            return;
        }
        var answer = await response.Content.ReadFromJsonAsync(SqsEventJsonContext.Default.SqsBatchResponse, CancellationToken.None);
        var kept = (answer?.BatchItemFailures ?? []).Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);
        var done = messages.Where(m => !kept.Contains(m.MessageId)).ToList();
        if (done.Count > 0)
        {
            await sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
            {
                QueueUrl = queue.Url,
                Entries = [.. done.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle))],
            }, CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<LocalEventQueue>> ResolveQueuesAsync(CancellationToken cancellationToken)
    {
        var urls = new List<string> { resources.ResultsQueueUrl };
        foreach (var runtime in resources.RuntimeNames)
        {
            urls.Add((await sqs.GetQueueUrlAsync(resources.RuntimeDeadLetterQueueName(runtime), cancellationToken)).QueueUrl);
        }
        var queues = new List<LocalEventQueue>();
        foreach (var url in urls)
        {
            var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["QueueArn"] }, cancellationToken);
            queues.Add(new LocalEventQueue(url, attributes.QueueARN));
        }
        return queues;
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(started.SetResult);
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>This app's own listening address, with a wildcard host turned into loopback.</summary>
    private Uri OwnAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Events:LocalPoller needs the app to listen on an HTTP address (ASPNETCORE_URLS).");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }
        return uri.Uri;
    }

    [LoggerMessage(LogLevel.Information, "Local event poller posting to {Address} from {Queues}")]
    private static partial void LogStarted(ILogger logger, Uri address, string queues);

    [LoggerMessage(LogLevel.Warning, "Local event poller could not poll {QueueUrl}; trying again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string queueUrl);

    [LoggerMessage(LogLevel.Warning, "/events answered {Status} for {Count} records of {QueueUrl}; they are left to come back")]
    private static partial void LogEventFailed(ILogger logger, int status, string queueUrl, int count);
}
