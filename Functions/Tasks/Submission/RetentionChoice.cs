namespace SdServerless.Functions.Tasks.Submission;

/// <summary>What the caller asked (<c>expires_after</c>, seconds) and the retention class it rounds up to, in days.</summary>
public sealed record RetentionChoice(int ExpiresAfterSeconds, int Days);
