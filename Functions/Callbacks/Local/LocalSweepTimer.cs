using Amazon.Runtime;
using SdServerless.Functions.Callbacks.Sweep;

namespace SdServerless.Functions.Callbacks.Local;

/// <summary>
/// Local runs' stand-in for the template's schedule of the sweep (docs/decisions/0341): runs it every
/// <see cref="SweepOptions.LocalIntervalSeconds"/>. Only started with <c>Events:LocalPoller=true</c>.
/// </summary>
public sealed partial class LocalSweepTimer(QueuedTaskSweep sweep, SweepOptions options, TimeProvider time, ILogger<LocalSweepTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.LocalIntervalSeconds)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sweep.RunAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException || ex is OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            LogSweepFailed(logger, ex);
        }
    }

    [LoggerMessage(LogLevel.Warning, "The local sweep of unpublished tasks failed; it runs again at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
