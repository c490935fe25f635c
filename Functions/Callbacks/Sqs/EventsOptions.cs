namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>The <c>Events</c> section: the <c>/events</c> endpoint that takes SQS events (results and dead letters).</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Events";

    /// <summary>
    /// Maps <c>POST /events</c>. The callback function sets it in serverless.template; the API function leaves it off,
    /// so nobody can post events through API Gateway.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Local runs only (the AppHost sets it): a poller reads the results queue and the runtime dead-letter queues and
    /// posts their messages to this app's <c>/events</c> as Lambda would. Implies <see cref="Enabled"/>.
    /// </summary>
    public bool LocalPoller { get; set; }

    /// <summary>Long-poll wait of the local poller, in seconds (0 to 20).</summary>
    public int LocalPollerWaitSeconds { get; set; } = 2;

    /// <summary>Messages per event the local poller sends, as the template's BatchSize (1 to 10).</summary>
    public int LocalPollerBatchSize { get; set; } = 10;

    /// <summary>Records of one event handled at the same time.</summary>
    public int MaxConcurrency { get; set; } = 10;

    public bool EndpointEnabled => Enabled || LocalPoller;
}
