using System.Text.Json;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Aws.TaskStore;

/// <summary>Builds the result message, the guidance's notification plus ours, the same way wherever a task ends.</summary>
public static class ResultMessages
{
    public static ImageGenerated Create(
        string runtime, string id, TaskOutputLocation output, JsonElement? context, string state,
        IReadOnlyList<TaskOutput> outputs, TaskError? error, long? queueMs, long? runMs, DateTimeOffset finishedAt,
        PromptTokenCounts? promptTokens = null)
    {
        var succeeded = state == TaskStatuses.Succeeded;
        return new ImageGenerated(
            Runtime: runtime,
            Id: id,
            Result: succeeded,
            Status: succeeded ? ImageGenerated.StatusCompleted : ImageGenerated.StatusFailed,
            ImageUrl: [.. outputs.Select(o => o.S3Uri)],
            OutputUrl: output.FolderUri(id),
            Context: context,
            State: state,
            Outputs: outputs,
            Error: error,
            QueueMs: queueMs,
            RunMs: runMs,
            FinishedAt: finishedAt,
            PromptTokens: promptTokens);
    }

    /// <summary>A terminal task's result as its table item records it.</summary>
    public static ImageGenerated FromRecord(TaskRecord task) => Create(
        task.Runtime,
        task.Id,
        task.Output,
        task.ContextJson is { } context ? JsonDocument.Parse(context).RootElement.Clone() : null,
        task.Status,
        task.Outputs,
        task.Error,
        task.StartedAt is { } started ? (long)(started - task.CreatedAt).TotalMilliseconds : null,
        task is { StartedAt: { } s, FinishedAt: { } f } ? (long)(f - s).TotalMilliseconds : null,
        task.FinishedAt ?? DateTimeOffset.UtcNow,
        task.PromptTokens);
}
