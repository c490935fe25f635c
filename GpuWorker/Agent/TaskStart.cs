namespace SdServerless.GpuWorker.Agent;

/// <summary>How a delivery of a task begins: it runs the task (started here or taken over), or there is nothing to run.</summary>
public abstract record TaskStart
{
    private TaskStart()
    {
    }

    /// <summary>The moment the task's run started, for a delivery that runs it; null when there is nothing to run.</summary>
    public DateTimeOffset? RunsFrom => this switch
    {
        Started started => started.At,
        TakenOver takenOver => takenOver.At,
        _ => null,
    };

    /// <summary>This delivery's attempt at the task, counting from 1 (every start and take-over counts); 0 when there is nothing to run.</summary>
    public int Attempt => this switch
    {
        Started started => started.AttemptNumber,
        TakenOver takenOver => takenOver.AttemptNumber,
        _ => 0,
    };

    /// <summary>This delivery moved the task from queued to running.</summary>
    public sealed record Started(DateTimeOffset At, int AttemptNumber) : TaskStart;

    /// <summary>The task was running on <paramref name="PreviousWorker"/>, whose lease lapsed (it crashed); this delivery runs it from its first start.</summary>
    public sealed record TakenOver(DateTimeOffset At, string PreviousWorker, int AttemptNumber) : TaskStart;

    /// <summary>The task has no record, has ended (its end is then published once) or runs on a live worker: the message is done.</summary>
    public sealed record NothingToRun : TaskStart;
}
