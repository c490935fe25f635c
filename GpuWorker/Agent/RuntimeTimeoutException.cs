namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// A runtime beside the agent (A1111, ComfyUI) did not finish the task's generation within its configured time; it was asked to
/// interrupt. The first attempt that times out is released for one retry; a timeout on a later attempt ends the task
/// failed with <see cref="Code"/>, as the task's own fault.
/// </summary>
public sealed class RuntimeTimeoutException(string message, Exception? inner = null) : Exception(message, inner)
{
    public const string Code = "timeout";

    /// <summary>Attempts a task may time out in: the first is retried, the second ends the task failed.</summary>
    public const int AttemptsAllowed = 2;
}
