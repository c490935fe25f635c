namespace SdServerless.Contracts.Tasks;

/// <summary>
/// A task's priority: it picks the runtime's queue (<c>{runtime}-high</c>, <c>{runtime}</c>, <c>{runtime}-low</c>) through
/// the <c>priority</c> message attribute, and workers take high before normal before low (docs/decisions/0336).
/// </summary>
public static class TaskPriorities
{
    public const string Low = "low";
    public const string Normal = "normal";
    public const string High = "high";

    /// <summary>Highest first: the order a worker prefers its queues in.</summary>
    public static readonly IReadOnlyList<string> All = [High, Normal, Low];

    public static bool IsKnown(string priority) => priority is Low or Normal or High;

    /// <summary>The SQS queue name of <paramref name="runtime"/>'s queue for <paramref name="priority"/>: normal keeps the runtime's own name.</summary>
    public static string QueueName(string runtime, string priority) => priority == Normal ? runtime : $"{runtime}-{priority}";
}
