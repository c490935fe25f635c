namespace SdServerless.Aws.TaskStore;

/// <summary>What <see cref="TaskTable.CreateAsync"/> did: created the task, or found a task with that id already there.</summary>
public sealed record CreateTaskOutcome(bool Created, TaskRecord Task);
