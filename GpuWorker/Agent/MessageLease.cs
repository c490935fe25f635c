using Amazon.SQS;
using Microsoft.Extensions.Logging;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Holds one received message: a heartbeat keeps extending its visibility while the task runs (never past SQS's 12-hour
/// cap from first receipt), and it ends by deleting the message, releasing it, or leaving it for a later retry.
/// </summary>
public sealed partial class MessageLease : IAsyncDisposable
{
    private static readonly TimeSpan MaxVisibility = TimeSpan.FromHours(12);
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly WorkerOptions _options;
    private readonly ILogger _logger;
    private readonly DateTimeOffset _receivedAt;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;

    public MessageLease(IAmazonSQS sqs, string queueUrl, string receiptHandle, WorkerOptions options, TimeProvider time, ILogger logger)
    {
        _sqs = sqs;
        _queueUrl = queueUrl;
        ReceiptHandle = receiptHandle;
        _options = options;
        _logger = logger;
        _receivedAt = time.GetUtcNow();
        _heartbeat = HeartbeatAsync(time);
    }

    public string ReceiptHandle { get; }

    public int Extensions { get; private set; }

    /// <summary>The visibility the latest heartbeat asked for: the configured extension, shortened near SQS's 12-hour cap.</summary>
    public TimeSpan LastExtension { get; private set; }

    /// <summary>True once the 12-hour cap stopped the heartbeat.</summary>
    public bool CapReached { get; private set; }

    public Task DeleteAsync(CancellationToken cancellationToken) => EndAsync(() => _sqs.DeleteMessageAsync(_queueUrl, ReceiptHandle, cancellationToken));

    /// <summary>Visible again at once, for another worker.</summary>
    public Task ReleaseAsync(CancellationToken cancellationToken) => EndAsync(() => _sqs.ChangeMessageVisibilityAsync(_queueUrl, ReceiptHandle, 0, cancellationToken));

    /// <summary>Visible again after the retry delay.</summary>
    public Task RetryLaterAsync(CancellationToken cancellationToken) =>
        EndAsync(() => _sqs.ChangeMessageVisibilityAsync(_queueUrl, ReceiptHandle, _options.RetryDelaySeconds, cancellationToken));

    /// <summary>
    /// The visibility to ask for after holding the message for <paramref name="held"/>: the configured extension, cut so
    /// the message is never held past SQS's 12-hour cap from first receipt; null once no whole second is left.
    /// </summary>
    public static TimeSpan? NextExtension(TimeSpan held, TimeSpan extension)
    {
        if (held + extension <= MaxVisibility)
        {
            return extension;
        }
        var left = TimeSpan.FromSeconds(Math.Floor((MaxVisibility - held - TimeSpan.FromSeconds(1)).TotalSeconds));
        return left > TimeSpan.Zero ? left : null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopHeartbeatAsync();
        _stop.Dispose();
    }

    private async Task EndAsync(Func<Task> end)
    {
        await StopHeartbeatAsync();
        await end();
    }

    private async Task StopHeartbeatAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }
        await _heartbeat;
    }

    private async Task HeartbeatAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.HeartbeatSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (NextExtension(time.GetUtcNow() - _receivedAt, TimeSpan.FromSeconds(_options.VisibilityExtensionSeconds)) is not { } extension)
                {
                    CapReached = true;
                    LogCapReached(_logger);
                    return;
                }
                try
                {
                    await _sqs.ChangeMessageVisibilityAsync(_queueUrl, ReceiptHandle, (int)extension.TotalSeconds, _stop.Token);
                    LastExtension = TimeSpan.FromSeconds((int)extension.TotalSeconds);
                    Extensions++;
                }
                catch (AmazonSQSException ex)
                {
                    LogHeartbeatFailed(_logger, ex.ErrorCode, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The lease ended.
        }
    }

    [LoggerMessage(LogLevel.Warning, "Heartbeat could not extend the message's visibility: {ErrorCode} {Error}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string errorCode, string error);

    [LoggerMessage(LogLevel.Warning, "The message has been held for close to 12 hours, SQS's cap; its visibility cannot be extended further")]
    private static partial void LogCapReached(ILogger logger);
}
