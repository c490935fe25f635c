using System.Text.RegularExpressions;

namespace SdServerless.LocalAws.Iam;

/// <summary>IAM's wildcards: <c>*</c> any run of characters (across <c>/</c> and <c>:</c>), <c>?</c> one character.</summary>
public static class IamPattern
{
    /// <summary>Actions compare without case (<c>S3:getobject</c> is <c>s3:GetObject</c>), resources and condition values with it.</summary>
    public static bool Matches(string pattern, string value, bool ignoreCase = false)
    {
        var expression = "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(value, expression, (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }
}
