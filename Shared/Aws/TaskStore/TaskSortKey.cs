namespace SdServerless.Aws.TaskStore;

/// <summary>The <c>sk</c> attribute: <c>{created at, ISO 8601 UTC with 7 fraction digits}#{id}</c>, which sorts by time.</summary>
public static class TaskSortKey
{
    public static string For(DateTimeOffset createdAt, string id) =>
        $"{TaskTimestamps.Format(createdAt)}#{id}";
}
