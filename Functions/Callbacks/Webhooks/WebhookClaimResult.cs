using SdServerless.Aws.TaskStore;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>What came of trying to claim a webhook attempt for one message.</summary>
public enum WebhookClaimResult
{
    /// <summary>This message owns the delivery and may make the attempt now.</summary>
    Claimed,

    /// <summary>Delivered or given up already, or owned by another message: this message has nothing to do.</summary>
    Settled,

    /// <summary>This message owns the delivery, but an attempt for it is in flight elsewhere (a redelivery); try later.</summary>
    InFlight,

    /// <summary>The task is gone.</summary>
    Missing,
}
