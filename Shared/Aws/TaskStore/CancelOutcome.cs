namespace SdServerless.Aws.TaskStore;

public enum CancelResult
{
    Canceled,
    NotFound,
    AlreadyTerminal,
}

/// <summary>What a cancel did; <see cref="Task"/> is the task as it is now (null when not found).</summary>
public sealed record CancelOutcome(CancelResult Result, TaskRecord? Task);
