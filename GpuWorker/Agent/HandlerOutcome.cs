namespace SdServerless.GpuWorker.Agent;

/// <summary>What happens to a message after its handler ran.</summary>
public enum HandlerOutcome
{
    /// <summary>Done (succeeded, failed for good, canceled or already terminal): delete the message.</summary>
    Delete,

    /// <summary>A transient failure: leave the message to reappear after the retry delay (and reach the DLQ after maxReceiveCount).</summary>
    Retry,

    /// <summary>Stopped by shutdown: make the message visible at once so another worker starts it.</summary>
    Release,
}
