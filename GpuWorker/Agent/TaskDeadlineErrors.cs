using SdServerless.Contracts.Messages;

namespace SdServerless.GpuWorker.Agent;

/// <summary>The reasons a task's clocks give when they end it, as <see cref="TaskError"/>s the task view shows.</summary>
public static class TaskDeadlineErrors
{
    /// <summary>The client's deadline: on an <c>expired</c> task it passed before the start, on a <c>canceled</c> one while it ran.</summary>
    public const string DeadlineCode = TaskExpiry.DeadlineCode;

    /// <summary>No deadline was given and the runtime's queue TTL passed before the task started.</summary>
    public const string QueueTtlCode = TaskExpiry.QueueTtlCode;

    /// <summary>The runtime's maximum execution time (the same code A1111's own timeout ends a task with).</summary>
    public const string TimeoutCode = RuntimeTimeoutException.Code;

    /// <summary>Why a task not started by <paramref name="now"/> has expired, or null when it may still start.</summary>
    public static TaskError? Expired(GenerateImageRequested task, DateTimeOffset now) => TaskExpiry.Expired(task.StartBy, task.Deadline, now);

    public static TaskError DeadlinePassed(GenerateImageRequested task) =>
        new(DeadlineCode, $"The task was still running at its deadline {task.Deadline:O}; it was stopped.");
}
