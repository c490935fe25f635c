using Amazon.SQS.Model;

namespace SdServerless.GpuWorker.Agent;

/// <summary>A message and the queue it came from, which its heartbeat, delete and release go to.</summary>
public sealed record ReceivedMessage(Message Message, string QueueUrl);
