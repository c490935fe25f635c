using System.Text.RegularExpressions;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>What a task id can be: ours are 32 hex digits; v1alpha2 callers may choose 1 to 64 letters, digits, '-' or '_'.</summary>
public static partial class TaskIdRule
{
    public const string Description = "1 to 64 letters, digits, '-' or '_'";

    public static bool IsValid(string id) => Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Pattern();
}
