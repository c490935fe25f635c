namespace SdServerless.Functions.Tasks.Submission;

/// <summary>
/// A task's clocks as accepted: <paramref name="Deadline"/>, the client's (from <c>deadline</c> or <c>Cancel-After</c>),
/// and <paramref name="StartBy"/>, the latest start (the deadline, or without one the runtime's queue TTL).
/// </summary>
public sealed record TaskTiming(DateTimeOffset? Deadline, DateTimeOffset? StartBy)
{
    public static readonly TaskTiming None = new(null, null);
}
