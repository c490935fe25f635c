using SdServerless.Contracts.Messages;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// The two clocks a running task is held to (docs/decisions/0335): the client's deadline, carried in the message,
/// which cancels the task (<c>canceled</c>, reason <c>deadline</c>), and the runtime's maximum execution time from the
/// catalogue, which fails it (<c>failed</c>, <c>timeout</c>). <see cref="Token"/> is canceled when either runs out.
/// </summary>
public sealed class TaskTimeLimits : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _execution;
    private readonly CancellationTokenSource _either;

    public TaskTimeLimits(GenerateImageRequested task, int? maxExecutionSeconds, TimeProvider time)
    {
        MaxExecution = maxExecutionSeconds is > 0 ? TimeSpan.FromSeconds(maxExecutionSeconds.Value) : null;
        _deadline = task.Deadline is { } deadline
            ? new CancellationTokenSource(Clamp(deadline - time.GetUtcNow()), time)
            : new CancellationTokenSource();
        _execution = MaxExecution is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        _either = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, _execution.Token);
    }

    public TimeSpan? MaxExecution { get; }

    public CancellationToken Token => _either.Token;

    public bool DeadlinePassed => _deadline.IsCancellationRequested;

    public bool ExecutionTimeRanOut => _execution.IsCancellationRequested && !_deadline.IsCancellationRequested;

    /// <summary>A deadline already passed (a task taken over late) cancels at once.</summary>
    private static TimeSpan Clamp(TimeSpan delay) => delay > TimeSpan.Zero ? delay : TimeSpan.Zero;

    public void Dispose()
    {
        _either.Dispose();
        _execution.Dispose();
        _deadline.Dispose();
    }
}
