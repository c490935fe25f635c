namespace SdServerless.Aws.Sns;

/// <summary>application/x-www-form-urlencoded with RFC 3986 escaping, as the Query API expects.</summary>
internal static class FormEncoding
{
    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join("&", pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}
