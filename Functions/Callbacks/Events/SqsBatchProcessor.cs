using System.Collections.Concurrent;
using System.Diagnostics;
using SdServerless.Aws.Recording;
using SdServerless.Contracts.Messages;
using SdServerless.Functions.Callbacks.DeadLetters;
using SdServerless.Functions.Callbacks.Results;
using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.ServiceDefaults.Telemetry;

namespace SdServerless.Functions.Callbacks.Events;

/// <summary>
/// Handles an SQS event record by record, each in its own span whose parent is the record's own trace (a batch may
/// mix traces; each span links to the invocation's). A record that fails is reported alone, so it never fails or
/// hides the others; a record that asks to come back later has its visibility timeout set to that delay first.
/// </summary>
public sealed partial class SqsBatchProcessor(
    EventSources sources,
    ResultHandler results,
    StartedHandler starts,
    ProgressHandler progress,
    DeadLetterHandler deadLetters,
    QueueVisibility visibility,
    EventsOptions options,
    ILogger<SqsBatchProcessor> logger)
{
    /// <summary>How recorded AWS calls of this flow are named: deployed, it runs as the callback function, under that function's role.</summary>
    public const string CallLogCaller = "callback";

    public async Task<SqsBatchResponse> ProcessAsync(SqsEvent sqsEvent, CancellationToken cancellationToken)
    {
        using var caller = AwsCallLog.As(CallLogCaller);
        var invocation = Activity.Current;
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(sqsEvent.Records ?? [],
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxConcurrency), CancellationToken = cancellationToken },
            async (record, ct) =>
            {
                if (!await ProcessRecordAsync(record, invocation, ct))
                {
                    failures.Add(record.MessageId);
                }
            });
        return new SqsBatchResponse([.. (sqsEvent.Records ?? []).Where(r => failures.Contains(r.MessageId)).Select(r => new SqsBatchItemFailure(r.MessageId))]);
    }

    private async Task<bool> ProcessRecordAsync(SqsRecord record, Activity? invocation, CancellationToken cancellationToken)
    {
        var source = sources.Classify(record.EventSourceArn);
        var parent = RecordTrace.ParentOf(record);
        ActivityLink[]? links = invocation is not null && parent is not null ? [new ActivityLink(invocation.Context)] : null;
        using var activity = SdServerlessTelemetry.ActivitySource.StartActivity(
            $"{source.QueueName} process", ActivityKind.Consumer, parent ?? default, links: links);
        activity?.SetTag("messaging.system", "aws_sqs");
        activity?.SetTag("messaging.destination.name", source.QueueName);
        activity?.SetTag("messaging.message.id", record.MessageId);
        try
        {
            var outcome = source.Kind switch
            {
                EventSourceKind.Results when record.StringAttribute(MessageAttributeNames.Event) == TaskStarted.EventName
                    => await starts.HandleAsync(record, cancellationToken),
                EventSourceKind.Results when record.StringAttribute(MessageAttributeNames.Event) == TaskProgressed.EventName
                    => await progress.HandleAsync(record, cancellationToken),
                EventSourceKind.Results => await results.HandleAsync(record, cancellationToken),
                EventSourceKind.RuntimeDeadLetter => await deadLetters.HandleAsync(record, source.Runtime!, cancellationToken),
                _ => Unknown(record),
            };
            if (outcome.RetryAfter is { } delay)
            {
                await visibility.DelayAsync(source.QueueName, record.ReceiptHandle, delay, cancellationToken);
            }
            if (!outcome.Done)
            {
                activity?.SetStatus(ActivityStatusCode.Error, "kept for another attempt");
            }
            return outcome.Done;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, ex, record.MessageId, source.QueueName);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return false;
        }
    }

    private RecordOutcome Unknown(SqsRecord record)
    {
        LogUnknownSource(logger, record.MessageId, record.EventSourceArn);
        return RecordOutcome.Retry;
    }

    [LoggerMessage(LogLevel.Error, "Record {MessageId} from {Queue} failed; it stays on its queue")]
    private static partial void LogFailed(ILogger logger, Exception exception, string messageId, string queue);

    [LoggerMessage(LogLevel.Error, "Record {MessageId} comes from {EventSourceArn}, a queue this function does not consume; it stays there")]
    private static partial void LogUnknownSource(ILogger logger, string messageId, string eventSourceArn);
}
