namespace SdServerless.Aws.TaskStore;

/// <summary>The tasks table's global secondary indexes, by the names serverless.template gives them.</summary>
public static class TaskIndexes
{
    /// <summary>Key: owner, then <c>sk</c> (created time and id): an owner's tasks in order (the task list, usage).</summary>
    public const string ByOwner = "by-owner";

    /// <summary>Sparse on <c>publish_pending</c>: tasks whose message may never have been published (docs/decisions/0341).</summary>
    public const string PublishPending = "publish-pending";

    /// <summary>Sparse on <c>queued_start_by</c>: queued tasks with a latest start (docs/decisions/0338).</summary>
    public const string QueuedStartBy = "queued-start-by";
}
