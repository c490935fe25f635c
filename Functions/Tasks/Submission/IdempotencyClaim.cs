using SdServerless.Aws.TaskStore;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>The outcome of claiming an idempotency key: <see cref="Claimed"/> is false when an earlier request holds it.</summary>
public sealed record IdempotencyClaim(bool Claimed, string TaskId, string RequestHash);
