using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SdServerless.Aws.TaskCompletion;
using SdServerless.Contracts.Messages;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Runs one task message: queued → running (conditional), generate, PNGs to deterministic keys, running → succeeded
/// with outputs (conditional), result published, then the message is deleted by the caller. Every step tolerates a
/// crash before it: a redelivered message finds the task where the crash left it and finishes it once.
/// </summary>
public sealed partial class TaskMessageHandler(
    TaskMessageReader reader, TaskStarter starter, TaskRun run, TaskFinisher finisher, WorkerState state, ILogger<TaskMessageHandler> logger)
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
            await starter.ReleaseAsync(task.Id);
            return HandlerOutcome.Release;
        }
        catch (EngineFaultException ex)
        {
            // The worker's fault, not the task's: another worker (or this one, once it recovers) runs it.
            LogEngineFault(logger, task.Id, ex.Message);
            state.GeneratorFaulted(ex.Message);
            await starter.ReleaseAsync(task.Id);
            return HandlerOutcome.Release;
        }
        catch (Exception ex) when (IsPermanent(ex))
        {
            var error = new TaskError(ErrorCode(ex), ex.Message);
            LogFailed(logger, task.Id, error.Code, error.Message);
            await finisher.CompleteAsync(task, TaskEnd.Failed(error), startedAt: null, stopping);
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
        var start = await starter.StartAsync(task, stopping);
        if (start.RunsFrom is not { } startedAt)
        {
            return HandlerOutcome.Delete;
        }
        WorkerMetrics.Started(task.Runtime, startedAt - task.SubmittedAt);

        TaskEnd? end;
        try
        {
            end = await run.RunAsync(task, startedAt, stopping);
        }
        catch (RuntimeTimeoutException ex) when (start.Attempt < RuntimeTimeoutException.AttemptsAllowed)
        {
            // One retry: the runtime may have hung rather than the task being too slow. A timeout on a later attempt is permanent.
            LogTimeoutReleased(logger, task.Id, start.Attempt, ex.Message);
            await starter.ReleaseAsync(task.Id);
            return HandlerOutcome.Release;
        }
        if (end is null)
        {
            // Canceled while it ran: the cancel ended it, and its end is published once.
            await finisher.PublishEndOnceAsync(task, stopping);
            return HandlerOutcome.Delete;
        }
        await finisher.CompleteAsync(task, end, startedAt, stopping);
        LogSucceeded(logger, task.Id, end.Outputs.Count);
        return HandlerOutcome.Delete;
    }

    /// <summary>Only a fault of the task's own input is permanent; everything else is retried or released.</summary>
    private static bool IsPermanent(Exception ex) =>
        ex is GenerationInputException or InitImageException or RuntimeTimeoutException or ExecutionTimeLimitException or JsonException;

    private static string ErrorCode(Exception ex) => ex switch
    {
        GenerationInputException input => input.Code,
        InitImageException => "invalid_init_image",
        RuntimeTimeoutException or ExecutionTimeLimitException => TaskDeadlineErrors.TimeoutCode,
        _ => "invalid_task",
    };

    [LoggerMessage(LogLevel.Information, "Task {TaskId} received ({Runtime}, {TaskType})")]
    private static partial void LogReceived(ILogger logger, string taskId, string runtime, string taskType);

    [LoggerMessage(LogLevel.Warning, "A message is not a task message; it is left for the dead-letter queue")]
    private static partial void LogPoison(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} succeeded with {Images} images")]
    private static partial void LogSucceeded(ILogger logger, string taskId, int images);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} timed out on attempt {Attempt}: {Error}; its message is released for one more attempt")]
    private static partial void LogTimeoutReleased(ILogger logger, string taskId, int attempt, string error);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} failed: {Code}: {Error}")]
    private static partial void LogFailed(ILogger logger, string taskId, string code, string error);

    [LoggerMessage(LogLevel.Error, "Task {TaskId} hit a fault of this worker: {Error}; its message is released for another worker")]
    private static partial void LogEngineFault(ILogger logger, string taskId, string error);

    [LoggerMessage(LogLevel.Warning, "Task {TaskId} hit {ErrorType}: {Error}; it will be retried")]
    private static partial void LogTransient(ILogger logger, string taskId, string errorType, string error);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} stopped by shutdown; its message is released for another worker")]
    private static partial void LogReleased(ILogger logger, string taskId);
}
