namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>The <c>Webhooks</c> section: signing secrets, timeout and retry schedule of webhook delivery (docs/webhooks.md).</summary>
public sealed class WebhooksOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// The <c>whsec_</c> secret of the API key <c>local-dev-key</c> in local dev mode, unless one is configured for it.
    /// Public by design: it only ever signs webhooks of local runs.
    /// </summary>
    public const string LocalDevSecret = "whsec_c2RzZXJ2ZXJsZXNzLWxvY2FsLWRldi13ZWJob29rLXNlY3JldA==";

    /// <summary>
    /// Signing secrets (<c>Webhooks__Secrets__0__Owner=...</c>, <c>Webhooks__Secrets__0__Secret=whsec_...</c>). Several
    /// entries for one caller: every one signs (rotation). <c>Owner</c> <c>*</c> serves callers with none of their own.
    /// </summary>
    public List<WebhookSecretOptions> Secrets { get; set; } = [];

    /// <summary>How long one attempt may take, connect to last byte of the answer's headers.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Waits before the 2nd, 3rd, ... attempt; empty means <see cref="DefaultRetryDelays"/>. Waits over 12 hours are cut to 12 hours (the longest SQS visibility timeout).</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromHours(4),
    ];

    /// <summary>The shortest time between two <c>task.progress</c> webhooks of one task (docs/decisions/0333).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<TimeSpan> EffectiveRetryDelays => RetryDelays.Count > 0 ? RetryDelays : DefaultRetryDelays;
}
