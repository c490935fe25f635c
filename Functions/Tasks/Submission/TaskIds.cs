namespace SdServerless.Functions.Tasks.Submission;

/// <summary>Ids we mint: UUIDv7 as 32 lowercase hex digits, URL-safe and sorting by creation time (millisecond resolution).</summary>
public static class TaskIds
{
    public static string New(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");
}
