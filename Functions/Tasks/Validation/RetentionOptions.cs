using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// The <c>expires_after</c> a deployment accepts, and its retention classes: one per lifecycle rule in the output
/// bucket (<c>serverless.template</c>), each at most the bucket's default <c>OutputExpirationDays</c> (docs/decisions/0347).
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    public int MinSeconds { get; set; } = 3600;

    public int MaxSeconds { get; set; } = 30 * 86400;

    /// <summary>The classes in days, comma separated, e.g. <c>1,7,30</c>: each needs its lifecycle rule.</summary>
    public string ClassDays { get; set; } = string.Join(',', OutputRetention.DefaultClassDays);

    public IReadOnlyList<int> Classes =>
        [.. ClassDays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).Where(days => days > 0).Order()];
}
