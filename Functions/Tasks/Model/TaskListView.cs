using System.Text.Json.Serialization;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>One page of tasks, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page.</summary>
public sealed record TaskListView(
    [property: JsonPropertyName("tasks")] IReadOnlyList<TaskView> Tasks,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);
