using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskCompletion;

/// <summary>
/// How a task ends: a terminal state (<see cref="TaskStatuses"/>), its outputs, the error of a failed task, and the
/// text-encoder tokens it used where its runtime reported them.
/// </summary>
public sealed record TaskEnd(string State, IReadOnlyList<TaskOutput> Outputs, TaskError? Error, PromptTokenCounts? PromptTokens = null)
{
    public static TaskEnd Succeeded(IReadOnlyList<TaskOutput> outputs, PromptTokenCounts? promptTokens = null) =>
        new(TaskStatuses.Succeeded, outputs, null, promptTokens);

    public static TaskEnd Failed(TaskError error) => new(TaskStatuses.Failed, [], error);

    /// <summary>Canceled by the system rather than the client, with the reason (<c>deadline</c>).</summary>
    public static TaskEnd Canceled(TaskError reason) => new(TaskStatuses.Canceled, [], reason);

    /// <summary>Not started by its latest start; only a queued task can expire.</summary>
    public static TaskEnd Expired(TaskError reason) => new(TaskStatuses.Expired, [], reason);
}
