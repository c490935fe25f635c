namespace SdServerless.Functions.Callbacks.Sqs;

/// <summary>Which queue a record came from; <see cref="Runtime"/> is set for a runtime's dead-letter queue.</summary>
public sealed record EventSource(EventSourceKind Kind, string QueueName, string? Runtime = null);
