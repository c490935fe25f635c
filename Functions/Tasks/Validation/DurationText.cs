using System.Globalization;
using System.Text.RegularExpressions;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// A duration as <c>Cancel-After</c> takes it: one or more whole numbers each with a unit, largest unit first, as
/// <c>90s</c>, <c>5m</c>, <c>1h30m</c> or <c>1500ms</c> (units <c>h</c>, <c>m</c>, <c>s</c>, <c>ms</c>; no spaces, no sign).
/// </summary>
public static partial class DurationText
{
    public const string Description = "a duration such as 90s, 5m, 1h30m or 1500ms (units h, m, s, ms)";

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = Pattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            return false;
        }
        try
        {
            duration = TimeSpan.FromHours(Part(match, "h")) + TimeSpan.FromMinutes(Part(match, "m"))
                + TimeSpan.FromSeconds(Part(match, "s")) + TimeSpan.FromMilliseconds(Part(match, "ms"));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static long Part(Match match, string unit) =>
        match.Groups[unit] is { Success: true, Value: var digits } ? long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"\A(?:(?<h>\d{1,6})h)?(?:(?<m>\d{1,8})m(?!s))?(?:(?<s>\d{1,10})s)?(?:(?<ms>\d{1,12})ms)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
