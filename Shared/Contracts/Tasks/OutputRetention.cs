namespace SdServerless.Contracts.Tasks;

/// <summary>
/// A task's output retention class: its images carry the S3 object tag <c>retention={days}d</c>, and the bucket has
/// one lifecycle rule per tag value that expires them after that many days (docs/decisions/0347).
/// </summary>
public static class OutputRetention
{
    public const string TagKey = "retention";

    /// <summary>The classes a deployment offers unless it says otherwise; <c>serverless.template</c> has a rule for each.</summary>
    public static readonly IReadOnlyList<int> DefaultClassDays = [1, 7, 30];

    /// <summary>The tag value of a class: <c>1d</c>, <c>7d</c>, <c>30d</c>.</summary>
    public static string TagValue(int days) => $"{days}d";

    /// <summary>
    /// When S3 expires an object written at <paramref name="written"/> under a rule of <paramref name="days"/> days: the
    /// creation time plus the days, rounded up to the next midnight UTC (deletion itself may follow some hours later).
    /// </summary>
    public static DateTimeOffset ExpiresAt(DateTimeOffset written, int days)
    {
        var due = written.ToUniversalTime().AddDays(days);
        return new DateTimeOffset(due.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
    }
}
