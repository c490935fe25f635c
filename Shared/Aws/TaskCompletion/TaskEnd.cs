using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskCompletion;

/// <summary>How a task ends: a terminal state (<see cref="TaskStatuses"/>), its outputs, and the error of a failed task.</summary>
public sealed record TaskEnd(string State, IReadOnlyList<TaskOutput> Outputs, TaskError? Error)
{
    public static TaskEnd Succeeded(IReadOnlyList<TaskOutput> outputs) => new(TaskStatuses.Succeeded, outputs, null);

    public static TaskEnd Failed(TaskError error) => new(TaskStatuses.Failed, [], error);
}
