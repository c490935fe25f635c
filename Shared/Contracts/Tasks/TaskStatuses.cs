namespace SdServerless.Contracts.Tasks;

/// <summary>
/// Task states: <c>queued → running → succeeded | failed | canceled</c>, and <c>queued → expired</c> for a task whose
/// deadline (or its runtime's queue TTL) passed before it started. Terminal states never change.
/// </summary>
public static class TaskStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Queued, Running, Succeeded, Failed, Canceled, Expired];

    public static bool IsTerminal(string status) => status is Succeeded or Failed or Canceled or Expired;
}
