using SdServerless.Contracts.Messages;

namespace SdServerless.GpuWorker.Agent;

/// <summary>How a task ended, as the result message reports it.</summary>
public sealed record TaskEnd(
    GenerateImageRequested Task,
    string State,
    IReadOnlyList<TaskOutput> Outputs,
    TaskError? Error,
    long? QueueMs,
    long? RunMs,
    DateTimeOffset FinishedAt);
