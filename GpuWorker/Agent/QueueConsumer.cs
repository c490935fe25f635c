using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.Aws.Tracing;
using SdServerless.Contracts.Messages;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults.Telemetry;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Long-polls the runtime's queues (one per priority where configured, <see cref="PriorityReceiver"/>) with
/// <see cref="WorkerOptions.Concurrency"/> receive loops: receive → handle →
/// delete only after the task's end is recorded. On shutdown it stops receiving at once, lets in-flight tasks finish
/// within the budget, and releases the rest so another worker starts them immediately.
/// </summary>
public sealed partial class QueueConsumer(
    IAmazonSQS sqs,
    PriorityReceiver receiver,
    IServiceScopeFactory scopes,
    ITaskGenerator generator,
    WorkerState state,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<QueueConsumer> logger) : BackgroundService
{
    private readonly CancellationTokenSource _abort = new();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.QueueUrl))
        {
            throw new InvalidOperationException("Worker:QueueUrl is not set: the worker needs its runtime's queue URL.");
        }
        LogStarting(logger, options.Value.Runtime, string.Join(", ", receiver.Queues.Values), options.Value.Concurrency);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        state.StartDraining();
        _abort.CancelAfter(TimeSpan.FromSeconds(options.Value.ShutdownBudgetSeconds));
        LogDraining(logger, options.Value.ShutdownBudgetSeconds);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await CheckQueueAsync(stoppingToken);
        if (!await WaitForGeneratorAsync(stoppingToken))
        {
            return;
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Concurrency)).Select(_ => ReceiveLoopAsync(stoppingToken)));
    }

    /// <summary>A quick call before the first long poll, so readiness does not wait out an empty queue's 20 s poll.</summary>
    private async Task CheckQueueAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sqs.GetQueueAttributesAsync(options.Value.QueueUrl, ["QueueArn"], stoppingToken);
            state.QueueAnswered();
        }
        catch (Exception ex) when (ex is AmazonSQSException or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            // The receive loop reports and retries.
            state.QueueFailed(ex.Message);
        }
    }

    /// <summary>
    /// No message is received before the generator can run it: a message taken by a worker whose model is still loading
    /// (or will never load) would wait or fail there instead of running on a healthy worker. A model that cannot load
    /// leaves this worker not ready for good; a runtime that is slow to answer is waited for.
    /// </summary>
    private async Task<bool> WaitForGeneratorAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReceiveBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), Random.Shared);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await generator.WaitUntilReadyAsync(stoppingToken);
                state.GeneratorStarted();
                LogGeneratorReady(logger);
                return true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (ModelLoadException ex)
            {
                state.GeneratorFailed(ex.Message);
                LogGeneratorFailed(logger, ex.Message);
                return false;
            }
            catch (Exception ex)
            {
                state.GeneratorFailed(ex.Message);
                LogGeneratorNotReady(logger, ex.Message);
                await DelayAsync(backoff.NextDelay(), stoppingToken);
            }
        }
        return false;
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Shutdown: the loop condition ends it.
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReceiveBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), Random.Shared);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (state.Paused)
            {
                // A fault of this worker: stay out of the queue while others take its tasks.
                await DelayAsync(state.PauseRemaining, stoppingToken);
                continue;
            }
            ReceivedMessage? message;
            try
            {
                // The long poll is not cancelled on shutdown: a cancelled poll can still take a message on the server
                // side and hide it for the visibility timeout. It ends within the wait time; what it brings is released.
                message = await receiver.ReceiveOneAsync();
                state.QueueAnswered();
                backoff.Reset();
            }
            catch (QueueDoesNotExistException ex)
            {
                state.QueueFailed(ex.Message);
                LogFatal(logger, options.Value.QueueUrl, ex.Message);
                throw;
            }
            catch (AmazonSQSException ex) when (ex.ErrorCode is "AccessDenied" or "AccessDeniedException")
            {
                state.QueueFailed(ex.Message);
                LogFatal(logger, options.Value.QueueUrl, ex.Message);
                throw;
            }
            catch (Exception ex) when (ex is AmazonSQSException or HttpRequestException or Amazon.Runtime.AmazonClientException)
            {
                state.QueueFailed(ex.Message);
                var delay = backoff.NextDelay();
                LogReceiveFailed(logger, backoff.Failures, delay.TotalMilliseconds, ex.Message);
                await DelayAsync(delay, stoppingToken);
                continue;
            }

            if (message is null)
            {
                continue;
            }
            if (stoppingToken.IsCancellationRequested)
            {
                await ReleaseUnstartedAsync(message);
                return;
            }
            await ProcessAsync(message);
        }
    }

    private async Task ReleaseUnstartedAsync(ReceivedMessage received)
    {
        try
        {
            await sqs.ChangeMessageVisibilityAsync(received.QueueUrl, received.Message.ReceiptHandle, 0);
        }
        catch (AmazonSQSException ex)
        {
            LogSettleFailed(logger, received.Message.MessageId, nameof(HandlerOutcome.Release), ex.Message);
        }
    }

    /// <summary>Runs one message to its end. Shutdown does not interrupt it until the budget runs out.</summary>
    private async Task ProcessAsync(ReceivedMessage received)
    {
        var message = received.Message;
        var parent = MessageTraceContext.Extract(
            message.MessageAttributes?.GetValueOrDefault(MessageAttributeNames.TraceParent)?.StringValue,
            message.Attributes?.GetValueOrDefault(MessageAttributeNames.AwsTraceHeader));
        using var activity = SdServerlessTelemetry.ActivitySource.StartActivity(
            $"{options.Value.Runtime} process", ActivityKind.Consumer, parent ?? default);
        activity?.SetTag("messaging.system", "aws_sqs");
        activity?.SetTag("messaging.destination.name", options.Value.Runtime);
        activity?.SetTag("messaging.message.id", message.MessageId);
        if (message.Attributes?.GetValueOrDefault("SentTimestamp") is { } sent && long.TryParse(sent, out var sentMs))
        {
            activity?.SetTag("sdserverless.queue_wait_ms", time.GetUtcNow().ToUnixTimeMilliseconds() - sentMs);
        }

        await using var lease = new MessageLease(sqs, received.QueueUrl, message.ReceiptHandle, options.Value, time, logger);
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<TaskMessageHandler>();
        HandlerOutcome outcome;
        try
        {
            outcome = await handler.HandleAsync(message.Body, _abort.Token);
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, ex, message.MessageId);
            outcome = HandlerOutcome.Retry;
        }
        activity?.SetTag("sdserverless.outcome", outcome.ToString());

        try
        {
            switch (outcome)
            {
                case HandlerOutcome.Delete:
                    await lease.DeleteAsync(CancellationToken.None);
                    break;
                case HandlerOutcome.Release:
                    await lease.ReleaseAsync(CancellationToken.None);
                    break;
                default:
                    await lease.RetryLaterAsync(CancellationToken.None);
                    break;
            }
        }
        catch (AmazonSQSException ex)
        {
            // The message becomes visible again by itself; its task's state makes the redelivery harmless.
            LogSettleFailed(logger, message.MessageId, outcome.ToString(), ex.Message);
        }
    }

    [LoggerMessage(LogLevel.Information, "Queue agent for runtime {Runtime} receiving from {QueueUrls} with concurrency {Concurrency}")]
    private static partial void LogStarting(ILogger logger, string runtime, string queueUrls, int concurrency);

    [LoggerMessage(LogLevel.Information, "Stopping: no new messages; in-flight tasks have {BudgetSeconds} s to finish")]
    private static partial void LogDraining(ILogger logger, int budgetSeconds);

    [LoggerMessage(LogLevel.Critical, "The queue {QueueUrl} cannot be used: {Error}")]
    private static partial void LogFatal(ILogger logger, string queueUrl, string error);

    [LoggerMessage(LogLevel.Warning, "Receiving failed ({Failures} in a row), retrying in {DelayMs:F0} ms: {Error}")]
    private static partial void LogReceiveFailed(ILogger logger, int failures, double delayMs, string error);

    [LoggerMessage(LogLevel.Information, "The generator is ready; receiving")]
    private static partial void LogGeneratorReady(ILogger logger);

    [LoggerMessage(LogLevel.Critical, "The generator cannot start: {Error}; this worker takes no tasks and reports not ready")]
    private static partial void LogGeneratorFailed(ILogger logger, string error);

    [LoggerMessage(LogLevel.Warning, "The generator is not ready yet: {Error}")]
    private static partial void LogGeneratorNotReady(ILogger logger, string error);

    [LoggerMessage(LogLevel.Error, "Message {MessageId} failed unexpectedly; it will be retried")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(LogLevel.Warning, "Message {MessageId} could not be settled ({Outcome}): {Error}")]
    private static partial void LogSettleFailed(ILogger logger, string messageId, string outcome, string error);
}
