namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// A task ran longer than its runtime's <c>maxExecutionSeconds</c> (the catalogue); the generator was interrupted. It
/// is the task's own fault (too many steps or images for the runtime), so the task ends <c>failed</c> with
/// <c>timeout</c> on its first attempt, unlike a runtime that stops answering.
/// </summary>
public sealed class ExecutionTimeLimitException(TimeSpan limit)
    : Exception($"The task ran longer than its runtime's maximum execution time of {limit.TotalSeconds:0} s; it was stopped.");
