namespace SdServerless.Functions.Tasks.Live.AppSync;

/// <summary>
/// The <c>Live:Channel</c> section: the AWS AppSync Events API that carries each task's start, progress and end from
/// the callback function to waiting API instances (docs/decisions/0337-task-event-channel.md). Unset, nothing is
/// published and the API hears only what its own process signals.
/// </summary>
public sealed class TaskChannelOptions
{
    public const string SectionName = "Live:Channel";

    /// <summary>The Events API's HTTP endpoint, e.g. <c>https://abc.appsync-api.us-east-1.amazonaws.com</c> (the template's <c>Dns.Http</c>).</summary>
    public Uri? HttpEndpoint { get; set; }

    /// <summary>Its real-time endpoint, e.g. <c>wss://abc.appsync-realtime-api.us-east-1.amazonaws.com</c> (the template's <c>Dns.Realtime</c>).</summary>
    public Uri? RealtimeEndpoint { get; set; }

    /// <summary>The channel namespace; a task's channel is <c>/{Namespace}/{taskId}</c>.</summary>
    public string Namespace { get; set; } = "tasks";

    /// <summary>The API's id, only to name it in recorded calls (tests check them against the roles).</summary>
    public string? ApiId { get; set; }

    /// <summary>How long one publish may take before it is given up (the callback goes on either way).</summary>
    public int PublishTimeoutSeconds { get; set; } = 3;

    /// <summary>How long connecting or subscribing may take before the waiter falls back to reading its task.</summary>
    public int SubscribeTimeoutSeconds { get; set; } = 5;

    public bool CanPublish => HttpEndpoint is not null;

    public bool CanSubscribe => HttpEndpoint is not null && RealtimeEndpoint is not null;

    public string ChannelOf(string taskId) => $"/{Namespace}/{taskId}";
}
