using System.Globalization;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>
/// The <c>wait</c> preference of RFC 7240 (<c>Prefer: wait=10</c>, also among others: <c>respond-async, wait=10</c>).
/// A bare <c>wait</c> means the longest wait; a longer one is cut to it; one that is not a whole number of seconds is
/// ignored, as RFC 7240 says of preferences a server does not understand.
/// </summary>
public static class PreferWait
{
    public const string PreferHeader = "Prefer";
    public const string AppliedHeader = "Preference-Applied";

    /// <summary>The seconds to wait, at most <paramref name="maxSeconds"/>; null when the request asks for no wait.</summary>
    public static int? From(IEnumerable<string?> preferHeaders, int maxSeconds)
    {
        foreach (var header in preferHeaders)
        {
            foreach (var preference in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // Parameters after ';' belong to the preference and are not used by wait.
                var token = preference.Split(';', 2)[0].Trim();
                var (name, value) = token.IndexOf('=') is var eq and >= 0 ? (token[..eq].Trim(), token[(eq + 1)..].Trim().Trim('"')) : (token, null);
                if (!name.Equals("wait", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                if (value is null)
                {
                    return maxSeconds;
                }
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    ? Math.Min(seconds, maxSeconds)
                    : null;
            }
        }
        return null;
    }

    public static string Applied(int seconds) => string.Create(CultureInfo.InvariantCulture, $"wait={seconds}");
}
