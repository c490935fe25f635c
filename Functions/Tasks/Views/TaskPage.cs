using SdServerless.Aws.TaskStore;

namespace SdServerless.Functions.Tasks.Views;

/// <summary>One page of a caller's tasks, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record TaskPage(IReadOnlyList<TaskRecord> Tasks, string? NextCursor);
