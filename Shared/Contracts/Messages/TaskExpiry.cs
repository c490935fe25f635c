namespace SdServerless.Contracts.Messages;

/// <summary>
/// Why a task not started by its latest start has expired: the worker decides it when it receives the task, the sweep
/// when no worker does (docs/decisions/0335, 0338). Both give the same error.
/// </summary>
public static class TaskExpiry
{
    /// <summary>The client's deadline: on an <c>expired</c> task it passed before the start, on a <c>canceled</c> one while it ran.</summary>
    public const string DeadlineCode = "deadline";

    /// <summary>No deadline was given and the runtime's queue TTL passed before the task started.</summary>
    public const string QueueTtlCode = "queue_ttl";

    /// <summary>Why a task with these clocks, not started by <paramref name="now"/>, has expired; null when it may still start.</summary>
    public static TaskError? Expired(DateTimeOffset? startBy, DateTimeOffset? deadline, DateTimeOffset now) => startBy is { } latest && now >= latest
        ? deadline is not null
            ? new TaskError(DeadlineCode, $"The task's deadline {latest:O} passed before a worker could start it.")
            : new TaskError(QueueTtlCode, $"The task waited past its runtime's queue TTL ({latest:O}) before a worker could start it.")
        : null;
}
