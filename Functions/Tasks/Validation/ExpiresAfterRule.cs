using SdServerless.Functions.Tasks.Submission;


namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// The <c>expires_after</c> field: seconds within the deployment's limits, rounded up to the smallest retention class
/// that keeps the outputs at least that long (docs/decisions/0347).
/// </summary>
public sealed class ExpiresAfterRule(RetentionOptions options)
{
    public const string Field = "expires_after";

    private readonly IReadOnlyList<int> _classes = options.Classes;

    public RetentionChoice? Check(int? expiresAfter, ValidationErrors errors)
    {
        if (expiresAfter is not { } seconds)
        {
            return null;
        }
        var max = Math.Min(options.MaxSeconds, _classes.Count > 0 ? _classes[^1] * 86400L : 0);
        if (seconds < options.MinSeconds || seconds > max)
        {
            errors.Add(Field, $"{Field} must be {options.MinSeconds} to {max} seconds; got {seconds}.");
            return null;
        }
        return new RetentionChoice(seconds, _classes.First(days => days * 86400L >= seconds));
    }
}
