using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

/// <summary>The runtime's KEDA settings; each one missing takes the GPU stack's default.</summary>
public sealed record RuntimeScaling
{
    [JsonPropertyName("maxReplicas")] public int? MaxReplicas { get; init; }

    /// <summary>Visible plus in-flight messages per replica.</summary>
    [JsonPropertyName("queueLengthTarget")] public int? QueueLengthTarget { get; init; }

    /// <summary>Scale from zero once more than this many messages wait or run.</summary>
    [JsonPropertyName("activationQueueLength")] public int? ActivationQueueLength { get; init; }

    /// <summary>
    /// False: low-priority tasks alone never start a runtime scaled to zero; they run once high or normal work has
    /// started a worker (docs/decisions/0336). Default true.
    /// </summary>
    [JsonPropertyName("wakeOnLow")] public bool? WakeOnLow { get; init; }
}
