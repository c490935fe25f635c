using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.Aws.TaskCompletion;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults.Telemetry;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Prompting;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Runs a started task: the generator with progress written to the table and published (a cancel stops it at the next step), then
/// the PNGs to their deterministic keys. Returns its successful end (the outputs and, where the runtime reports them,
/// the text-encoder tokens used), or null when the task was canceled meanwhile (nothing is written then). Its deadline
/// passing ends it canceled with reason <c>deadline</c>; its runtime's maximum execution time throws
/// <see cref="ExecutionTimeLimitException"/> (docs/decisions/0335).
/// </summary>
public sealed partial class TaskRun(
    ITaskGenerator generator, TaskTable table, ResultTopic results, OutputWriter outputs, IOptions<WorkerOptions> options, TimeProvider time, ILogger<TaskRun> logger)
{
    public async Task<TaskEnd?> RunAsync(GenerateImageRequested task, DateTimeOffset startedAt, CancellationToken stopping)
    {
        await using var monitor = new TaskProgressMonitor(task.Id, task.Runtime, table, results,
            TimeSpan.FromMilliseconds(options.Value.ProgressIntervalMilliseconds), time, logger);
        using var limits = new TaskTimeLimits(task, options.Value.MaxExecutionSeconds, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, monitor.Canceled, limits.Token);

        TaskImages generated;
        using (var span = SdServerlessTelemetry.ActivitySource.StartActivity("generate images"))
        {
            span?.SetTag("sdserverless.task_type", task.TaskType);
            span?.SetTag("sdserverless.steps", task.Parameters.Steps);
            span?.SetTag("sdserverless.batch_size", task.Parameters.BatchSize);
            try
            {
                generated = await generator.GenerateAsync(task, monitor, linked.Token);
                span?.SetTag("sdserverless.prompt_tokens", generated.PromptTokens?.PromptTokens);
                span?.SetTag("sdserverless.context_tokens", generated.PromptTokens?.ContextTokens);
            }
            catch (HttpRequestException ex)
            {
                // A runtime beside the agent (A1111, ComfyUI) that stops answering is the worker's fault.
                throw new EngineFaultException($"The runtime did not answer: {ex.Message}", ex);
            }
            catch (OperationCanceledException) when (monitor.Canceled.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                LogCanceled(logger, task.Id, monitor.LastStep);
                return null;
            }
            catch (OperationCanceledException) when (limits.DeadlinePassed && !stopping.IsCancellationRequested)
            {
                // The generator was interrupted (A1111 and ComfyUI are asked to interrupt when their token is canceled).
                LogDeadline(logger, task.Id, monitor.LastStep);
                return TaskEnd.Canceled(TaskDeadlineErrors.DeadlinePassed(task));
            }
            catch (OperationCanceledException) when (limits is { ExecutionTimeRanOut: true, MaxExecution: { } limit } && !stopping.IsCancellationRequested)
            {
                throw new ExecutionTimeLimitException(limit);
            }
        }

        await using (generated)
        {
            if (await table.StatusAsync(task.Id, stopping) != TaskStatuses.Running)
            {
                // Canceled after the last step: no outputs are written.
                return null;
            }

            IReadOnlyList<TaskOutput> written;
            using (SdServerlessTelemetry.ActivitySource.StartActivity("upload images"))
            {
                written = await outputs.WriteAsync(task, generated.Images, stopping);
            }
            WorkerMetrics.Generated(task.Runtime, task.Parameters.Steps * task.Parameters.BatchSize, generated.Images.Count, time.GetUtcNow() - startedAt);
            return TaskEnd.Succeeded(written, TokenCounts(generated.PromptTokens));
        }
    }

    private static PromptTokenCounts? TokenCounts(PromptTokenUsage? usage) =>
        usage is null ? null : new PromptTokenCounts(usage.PromptTokens, usage.NegativePromptTokens, usage.ContextTokens);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} reached its deadline at step {Step}; it is canceled, no outputs written")]
    private static partial void LogDeadline(ILogger logger, string taskId, int step);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} was canceled at step {Step}; no outputs written")]
    private static partial void LogCanceled(ILogger logger, string taskId, int step);
}
