namespace SdServerless.Functions.Callbacks.Sqs;

public enum EventSourceKind
{
    /// <summary>The results queue: task results and start notifications.</summary>
    Results,

    /// <summary>A runtime queue's dead-letter queue.</summary>
    RuntimeDeadLetter,

    /// <summary>A queue this function does not consume.</summary>
    Unknown,
}
