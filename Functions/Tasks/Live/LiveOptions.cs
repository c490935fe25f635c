namespace SdServerless.Functions.Tasks.Live;

/// <summary>The <c>Live</c> section: waiting for a task (<c>Prefer: wait</c>) and its event stream.</summary>
public sealed class LiveOptions
{
    public const string SectionName = "Live";

    /// <summary>
    /// The longest <c>Prefer: wait</c> honoured, and what a bare <c>wait</c> means: 60 s; the API function on AWS sets
    /// 25 s, under API Gateway's 29 s integration timeout (docs/decisions/0331-prefer-wait.md).
    /// </summary>
    public int MaxWaitSeconds { get; set; } = 60;

    /// <summary>A comment line is sent on an event stream after this long without an event, so proxies keep it open.</summary>
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>
    /// The longest an event stream stays open before it ends without the task's end, so that the client reconnects
    /// with <c>Last-Event-ID</c> (an <c>EventSource</c> does on its own); 0 keeps it open until the end. The events function
    /// on AWS sets 840 s, under its 900 s timeout and API Gateway's 15 minutes for a streamed answer (docs/decisions/0332).
    /// </summary>
    public int MaxStreamSeconds { get; set; }

    /// <summary>
    /// Where no callback flow feeds this process (nor a task channel, or a waiter's channel dropped), an event stream, and
    /// a wait whose channel dropped, read their task this often instead.
    /// </summary>
    public int UnfedReadMilliseconds { get; set; } = 1000;
}
