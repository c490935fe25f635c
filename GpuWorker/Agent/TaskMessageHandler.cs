using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.Aws.Sns;
using SdServerless.Aws.Tasks;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Agent.Generators;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults.Telemetry;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Runs one task message: queued → running (conditional), generate, PNGs to deterministic keys, running → succeeded
/// with outputs (conditional), result published, then the message is deleted by the caller. Every step tolerates a
/// crash before it: a redelivered message finds the task where the crash left it and finishes it once.
/// </summary>
public sealed partial class TaskMessageHandler(
    TaskMessageReader reader,
    TaskTable table,
    ResultPublications publications,
    ITaskGenerator generator,
    OutputWriter outputs,
    ResultTopic results,
    WorkerState state,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<TaskMessageHandler> logger)
{
    public async Task<HandlerOutcome> HandleAsync(string body, CancellationToken stopping)
    {
        var task = await reader.ReadAsync(body, stopping);
        if (task is null)
        {
            LogPoison(logger);
            return HandlerOutcome.Retry;
        }
        Activity.Current?.SetTag("sdserverless.task.id", task.Id);
        Activity.Current?.SetTag("sdserverless.runtime", task.Runtime);
        LogReceived(logger, task.Id, task.Runtime, task.TaskType);

        try
        {
            return await RunAsync(task, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            LogReleased(logger, task.Id);
            await ReleaseAttemptAsync(task.Id);
            return HandlerOutcome.Release;
        }
        catch (EngineFaultException ex)
        {
            // The worker's fault, not the task's: another worker (or this one, once it recovers) runs it.
            LogEngineFault(logger, task.Id, ex.Message);
            state.GeneratorFaulted(ex.Message);
            await ReleaseAttemptAsync(task.Id);
            return HandlerOutcome.Release;
        }
        catch (Exception ex) when (IsPermanent(ex))
        {
            var error = new TaskError(ErrorCode(ex), ex.Message);
            LogFailed(logger, task.Id, error.Code, error.Message);
            await FinishAsync(task, TaskStatuses.Failed, [], error, startedAt: null, stopping);
            return HandlerOutcome.Delete;
        }
        catch (Exception ex)
        {
            // Throttling, 5xx, network and anything unexpected: retried, and after maxReceiveCount the message reaches
            // the dead-letter queue, whose handler ends the task failed.
            LogTransient(logger, task.Id, ex.GetType().Name, ex.Message);
            return HandlerOutcome.Retry;
        }
    }

    private async Task<HandlerOutcome> RunAsync(GenerateImageRequested task, CancellationToken stopping)
    {
        var record = await table.GetAsync(task.Id, stopping);
        if (record is null)
        {
            LogMissing(logger, task.Id);
            return HandlerOutcome.Delete;
        }
        if (TaskStatuses.IsTerminal(record.Status))
        {
            await PublishTerminalOnceAsync(task, record, stopping);
            return HandlerOutcome.Delete;
        }

        var startedAt = time.GetUtcNow();
        if (!await table.TryStartAsync(task.Id, options.Value.WorkerId, startedAt, stopping))
        {
            record = await table.GetAsync(task.Id, stopping);
            if (record is { Status: TaskStatuses.Running } && record.CrashedAttempts >= options.Value.MaxCrashedAttempts)
            {
                return await FailLostAsync(task, record, stopping);
            }
            if (record is null || TaskStatuses.IsTerminal(record.Status) || !await table.TakeOverAsync(task.Id, options.Value.WorkerId, stopping))
            {
                record = record is null ? null : await table.GetAsync(task.Id, stopping);
                if (record is not null && TaskStatuses.IsTerminal(record.Status))
                {
                    await PublishTerminalOnceAsync(task, record, stopping);
                }
                return HandlerOutcome.Delete;
            }
            // Still running: the worker that started it lost its lease (it crashed), so this delivery takes over.
            startedAt = record.StartedAt ?? startedAt;
            LogTakeover(logger, task.Id, record.Worker ?? "unknown");
        }
        else if (record.CallbackUrl is not null && record.WebhookEvents.Contains(TaskStarted.RequestedBy, StringComparer.Ordinal))
        {
            await PublishStartedAsync(task, startedAt, stopping);
        }
        LogStarted(logger, task.Id, record.Attempts + 1, record.CrashedAttempts, (long)(startedAt - task.SubmittedAt).TotalMilliseconds);
        WorkerMetrics.Started(task.Runtime, startedAt - task.SubmittedAt);

        await using var monitor = new TaskProgressMonitor(task.Id, table,
            TimeSpan.FromMilliseconds(options.Value.ProgressIntervalMilliseconds), time, logger);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, monitor.Canceled);

        GenerationResult generated;
        using (var span = SdServerlessTelemetry.ActivitySource.StartActivity("generate images"))
        {
            span?.SetTag("sdserverless.task_type", task.TaskType);
            span?.SetTag("sdserverless.steps", task.Parameters.Steps);
            span?.SetTag("sdserverless.batch_size", task.Parameters.BatchSize);
            try
            {
                generated = await generator.GenerateAsync(task, monitor, linked.Token);
            }
            catch (HttpRequestException ex)
            {
                // A runtime beside the agent (A1111, ComfyUI) that stops answering is the worker's fault.
                throw new EngineFaultException($"The runtime did not answer: {ex.Message}", ex);
            }
            catch (OperationCanceledException) when (monitor.Canceled.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                LogCanceled(logger, task.Id, monitor.LastStep);
                await PublishCurrentTerminalAsync(task, stopping);
                return HandlerOutcome.Delete;
            }
        }

        if (await table.StatusAsync(task.Id, stopping) != TaskStatuses.Running)
        {
            // Canceled after the last step: no outputs are written.
            await PublishCurrentTerminalAsync(task, stopping);
            return HandlerOutcome.Delete;
        }

        IReadOnlyList<TaskOutput> written;
        using (SdServerlessTelemetry.ActivitySource.StartActivity("upload images"))
        {
            written = await outputs.WriteAsync(task, generated.Images, stopping);
        }
        WorkerMetrics.Generated(task.Runtime, task.Parameters.Steps * task.Parameters.BatchSize, generated.Images.Count, time.GetUtcNow() - startedAt);
        await FinishAsync(task, TaskStatuses.Succeeded, written, null, startedAt, stopping);
        LogSucceeded(logger, task.Id, written.Count);
        return HandlerOutcome.Delete;
    }

    /// <summary>Writes the terminal state (if the task is not terminal yet) and publishes the task's actual end once.</summary>
    private async Task FinishAsync(
        GenerateImageRequested task, string state, IReadOnlyList<TaskOutput> written, TaskError? error, DateTimeOffset? startedAt, CancellationToken cancellationToken)
    {
        var finishedAt = time.GetUtcNow();
        if (await table.CompleteAsync(task.Id, state, written, error, finishedAt, cancellationToken))
        {
            LogCompleted(logger, task.Id, state, error?.Code, (long)(finishedAt - task.SubmittedAt).TotalMilliseconds,
                startedAt is null ? null : (long)(finishedAt - startedAt.Value).TotalMilliseconds);
            await PublishAsync(ResultMessages.Create(task.Runtime, task.Id, task.Output, task.Context, state, written, error,
                startedAt is null ? null : (long)(startedAt.Value - task.SubmittedAt).TotalMilliseconds,
                startedAt is null ? null : (long)(finishedAt - startedAt.Value).TotalMilliseconds,
                finishedAt), task.SubmittedAt, cancellationToken);
            return;
        }
        // Another delivery or a cancel ended it first: report what the table says, once.
        await PublishCurrentTerminalAsync(task, cancellationToken);
    }

    private async Task PublishCurrentTerminalAsync(GenerateImageRequested task, CancellationToken cancellationToken)
    {
        var record = await table.GetAsync(task.Id, cancellationToken);
        if (record is not null && TaskStatuses.IsTerminal(record.Status))
        {
            await PublishTerminalOnceAsync(task, record, cancellationToken);
        }
    }

    private async Task PublishTerminalOnceAsync(GenerateImageRequested task, TaskRecord record, CancellationToken cancellationToken)
    {
        if (await publications.IsPublishedAsync(task.Id, cancellationToken))
        {
            return;
        }
        await PublishAsync(ResultMessages.FromRecord(record), task.SubmittedAt, cancellationToken);
    }

    private async Task PublishAsync(ImageGenerated result, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        using (SdServerlessTelemetry.ActivitySource.StartActivity("publish result"))
        {
            await results.PublishAsync(result, cancellationToken);
        }
        await publications.MarkPublishedAsync(result.Id, time.GetUtcNow(), cancellationToken);
        WorkerMetrics.TaskEnded(result.Runtime, result.State, result.FinishedAt - submittedAt);
    }

    /// <summary>Best effort: a lost start notification costs the client its task.started webhook, never the task.</summary>
    private async Task PublishStartedAsync(GenerateImageRequested task, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        try
        {
            await results.PublishStartedAsync(new TaskStarted(task.Id, task.Runtime, startedAt), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is SnsException or HttpRequestException or IOException or TimeoutException or TaskCanceledException)
        {
            LogStartNotPublished(logger, task.Id, ex.Message);
        }
    }

    /// <summary>Only a fault of the task's own input is permanent; everything else is retried or released.</summary>
    private static bool IsPermanent(Exception ex) => ex is GenerationInputException or InitImageException or JsonException;

    private static string ErrorCode(Exception ex) => ex switch
    {
        GenerationInputException input => input.Code,
        InitImageException => "invalid_init_image",
        _ => "invalid_task",
    };

    [LoggerMessage(LogLevel.Warning, "A message is not a task message; it is left for the dead-letter queue")]
    private static partial void LogPoison(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} has no record in the table; its message is dropped")]
    private static partial void LogMissing(ILogger logger, string taskId);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} was running on {Worker}, whose lease lapsed; running it here")]
    private static partial void LogTakeover(ILogger logger, string taskId, string worker);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} succeeded with {Images} images")]
    private static partial void LogSucceeded(ILogger logger, string taskId, int images);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} was canceled at step {Step}; no outputs written")]
    private static partial void LogCanceled(ILogger logger, string taskId, int step);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} failed: {Code}: {Error}")]
    private static partial void LogFailed(ILogger logger, string taskId, string code, string error);

    [LoggerMessage(LogLevel.Error, "Task {TaskId} hit a fault of this worker: {Error}; its message is released for another worker")]
    private static partial void LogEngineFault(ILogger logger, string taskId, string error);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} hit {ErrorType}: {Error}; it will be retried")]
    private static partial void LogTransient(ILogger logger, string taskId, string errorType, string error);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} started, but its start notification could not be published: {Error}")]
    private static partial void LogStartNotPublished(ILogger logger, string taskId, string error);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} stopped by shutdown; its message is released for another worker")]
    private static partial void LogReleased(ILogger logger, string taskId);
}
