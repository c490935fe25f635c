using SdServerless.Contracts.Messages;

namespace SdServerless.Aws.TaskCompletion;

/// <summary>
/// What <see cref="TaskCompleter.CompleteAsync"/> did: whether this call ended the task (rather than finding it ended),
/// and the result it published, if it published one.
/// </summary>
public sealed record CompletionOutcome(bool EndedHere, ImageGenerated? Published);
