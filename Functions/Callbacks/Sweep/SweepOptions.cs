namespace SdServerless.Functions.Callbacks.Sweep;

/// <summary>The <c>Sweep</c> section: how tasks whose message was never published are found and sent (docs/decisions/0341).</summary>
public sealed class SweepOptions
{
    public const string SectionName = "Sweep";

    /// <summary>A task still marked this long after it was written is taken to have lost its publish (well past the API function's 29 s).</summary>
    public int PendingAfterSeconds { get; set; } = 120;

    /// <summary>A task the sweep could not publish for this long ends <c>failed</c> with <c>publish_failed</c>.</summary>
    public int GiveUpAfterMinutes { get; set; } = 15;

    /// <summary>Tasks handled by one run; the rest wait for the next.</summary>
    public int MaxTasksPerRun { get; set; } = 100;

    /// <summary>The most one run may take, inside the callback function's 30 s timeout.</summary>
    public int RunBudgetSeconds { get; set; } = 20;

    /// <summary>Local runs (<c>Events:LocalPoller</c>): seconds between sweeps, as the template's schedule (1 minute).</summary>
    public int LocalIntervalSeconds { get; set; } = 60;
}
