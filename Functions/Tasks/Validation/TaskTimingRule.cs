using System.Globalization;
using System.Text.RegularExpressions;
using SdServerless.Contracts.Runtimes;
using SdServerless.Functions.Tasks.Submission;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// Reads a task's deadline from the <c>Cancel-After</c> header (a duration from now) or the <c>deadline</c> field (an
/// RFC 3339 instant with its offset), one or the other, in the future and at most <see cref="MaxAhead"/> away; without
/// one, the runtime's queue TTL bounds the wait alone (docs/decisions/0335).
/// </summary>
public static partial class TaskTimingRule
{
    public const string CancelAfterHeader = "Cancel-After";
    public const string DeadlineField = "deadline";

    /// <summary>The furthest deadline accepted: a task's result outlives it by the table's retention.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromHours(24);

    public static TaskTiming Check(string? cancelAfter, string? deadline, RuntimeDefinition? runtime, DateTimeOffset now, ValidationErrors errors)
    {
        DateTimeOffset? at = null;
        if (cancelAfter is not null && deadline is not null)
        {
            errors.Add(DeadlineField, $"Send either the {CancelAfterHeader} header or the deadline field, not both.");
            return TaskTiming.None;
        }
        if (cancelAfter is not null)
        {
            if (!DurationText.TryParse(cancelAfter.Trim(), out var after) || after <= TimeSpan.Zero || after > MaxAhead)
            {
                errors.Add(CancelAfterHeader, $"{CancelAfterHeader} must be {DurationText.Description}, more than 0 and at most {MaxAhead.TotalHours:0}h.");
                return TaskTiming.None;
            }
            at = now + after;
        }
        if (deadline is not null)
        {
            if (!Rfc3339Offset().IsMatch(deadline)
                || !DateTimeOffset.TryParse(deadline, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            {
                errors.Add(DeadlineField, "deadline must be an RFC 3339 instant with its offset, such as 2026-01-02T03:04:05Z.");
                return TaskTiming.None;
            }
            if (instant <= now || instant - now > MaxAhead)
            {
                errors.Add(DeadlineField, $"deadline must lie in the future and at most {MaxAhead.TotalHours:0}h ahead.");
                return TaskTiming.None;
            }
            at = instant.ToUniversalTime();
        }
        return new TaskTiming(at, at ?? QueueTtlEnd(runtime, now));
    }

    /// <summary>Without a deadline: the runtime's queue TTL from now, or no latest start.</summary>
    public static DateTimeOffset? QueueTtlEnd(RuntimeDefinition? runtime, DateTimeOffset now) =>
        runtime?.QueueTtlSeconds is > 0 and var ttl ? now.AddSeconds(ttl) : null;

    [GeneratedRegex(@"\A\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339Offset();
}
