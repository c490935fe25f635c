using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SdServerless.Aws.Sns;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Receives the engine's per-step progress without blocking it and, off the denoising thread, writes progress to the
/// task at most once per interval and checks between writes whether the task was canceled. A cancel is therefore
/// noticed within two steps: the check for step N runs while step N+1 computes, and the engine stops before N+2.
/// Each progress write is also published on the results topic (<see cref="TaskProgressed"/>), so the callback function
/// learns progress at the same rate without reading the table.
/// </summary>
public sealed partial class TaskProgressMonitor : IProgress<DenoiseProgress>, IAsyncDisposable
{
    private readonly Channel<DenoiseProgress> _steps = Channel.CreateBounded<DenoiseProgress>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _canceled = new();
    private readonly Task _loop;
    private readonly string _taskId;
    private readonly string _runtime;
    private readonly TaskTable _table;
    private readonly ResultTopic _results;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TaskProgressMonitor(string taskId, string runtime, TaskTable table, ResultTopic results, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _taskId = taskId;
        _runtime = runtime;
        _table = table;
        _results = results;
        _interval = interval;
        _time = time;
        _logger = logger;
        _loop = RunAsync();
    }

    /// <summary>Canceled when the task's status shows it was canceled.</summary>
    public CancellationToken Canceled => _canceled.Token;

    public int LastStep { get; private set; }

    public void Report(DenoiseProgress value) => _steps.Writer.TryWrite(value);

    public async ValueTask DisposeAsync()
    {
        _steps.Writer.TryComplete();
        await _loop;
        _canceled.Dispose();
    }

    private async Task RunAsync()
    {
        var lastWrite = DateTimeOffset.MinValue;
        await foreach (var progress in _steps.Reader.ReadAllAsync())
        {
            LastStep = progress.Step;
            // A runtime may report a step past its own total (or a negative one); progress is clamped, never fatal.
            var steps = Math.Max(progress.Steps, 0);
            var step = Math.Clamp(progress.Step, 0, steps);
            if (_canceled.IsCancellationRequested)
            {
                continue;
            }
            try
            {
                var now = _time.GetUtcNow();
                bool running;
                if (now - lastWrite >= _interval || step == steps)
                {
                    lastWrite = now;
                    running = await _table.UpdateProgressAsync(_taskId, step, steps, CancellationToken.None);
                    if (running)
                    {
                        await PublishAsync(step, steps, now);
                    }
                }
                else
                {
                    running = await _table.StatusAsync(_taskId, CancellationToken.None) == TaskStatuses.Running;
                }
                if (!running)
                {
                    LogNoLongerRunning(_logger, _taskId, progress.Step);
                    await _canceled.CancelAsync();
                }
            }
            catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or HttpRequestException)
            {
                // Progress is best effort; the task's outcome is written by its own conditional writes.
                LogProgressFailed(_logger, _taskId, ex.Message);
            }
        }
    }

    /// <summary>Best effort, as the write before it: a lost progress event costs a watcher one update, never the task.</summary>
    private async Task PublishAsync(int step, int steps, DateTimeOffset at)
    {
        try
        {
            await _results.PublishProgressAsync(new TaskProgressed(_taskId, _runtime, step, steps, at), CancellationToken.None);
        }
        catch (Exception ex) when (ex is SnsException or HttpRequestException or IOException or TimeoutException or TaskCanceledException)
        {
            LogProgressNotPublished(_logger, _taskId, ex.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Progress of task {TaskId} could not be published: {Error}")]
    private static partial void LogProgressNotPublished(ILogger logger, string taskId, string error);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} is no longer running (canceled) at step {Step}; stopping")]
    private static partial void LogNoLongerRunning(ILogger logger, string taskId, int step);

    [LoggerMessage(LogLevel.Warning, "Progress of task {TaskId} could not be written: {Error}")]
    private static partial void LogProgressFailed(ILogger logger, string taskId, string error);
}
