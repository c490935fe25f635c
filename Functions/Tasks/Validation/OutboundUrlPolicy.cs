using System.Net;
using SdServerless.ServiceDefaults.Net;

namespace SdServerless.Functions.Tasks.Validation;

/// <summary>
/// Decides whether a URL that we will fetch or call later (callback, init image) may be accepted at submit: https to a
/// public host only. In local dev mode, http and https to loopback are allowed too, so webhooks and images can be
/// tried on one machine. Hostnames are judged by name (no DNS lookup at submit); whatever connects to them later must
/// check the address it resolves to as well.
/// </summary>
public sealed class OutboundUrlPolicy(bool allowLoopback)
{
    private static readonly string[] InternalSuffixes = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan", ".intranet", ".corp"];

    /// <summary>Null when <paramref name="text"/> is acceptable; otherwise why not.</summary>
    public string? Check(string text)
    {
        if (text.Length > InputLimits.MaxUrlLength)
        {
            return $"is {text.Length} characters long; at most {InputLimits.MaxUrlLength} are allowed.";
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.HostNameType is UriHostNameType.Unknown)
        {
            return "must be an absolute URL.";
        }
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"scheme '{uri.Scheme}' is not allowed; use https.";
        }
        if (uri.HostNameType is UriHostNameType.Dns or UriHostNameType.Basic && HostNameProblem(uri) is { } hostProblem)
        {
            return hostProblem;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not contain credentials.";
        }
        var loopback = IsLoopbackHost(uri);
        if (loopback && allowLoopback)
        {
            return null;
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return allowLoopback ? "must use https (http is allowed only to loopback in local dev mode)." : "must use https.";
        }
        if (loopback)
        {
            return "must not point at a loopback address.";
        }
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && AddressClassifier.IsPublic(address)
                ? null
                : "must not point at a private, link-local or otherwise non-public address.";
        }
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (!host.Contains('.') || InternalSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.Ordinal)))
        {
            return "must name a public host.";
        }
        // No top-level domain is numeric: such a name is an address in disguise (for example 0x7f.1).
        var topLabel = host[(host.LastIndexOf('.') + 1)..];
        if (topLabel.All(char.IsAsciiDigit) || topLabel.StartsWith("0x", StringComparison.Ordinal))
        {
            return "must not point at a private, link-local or otherwise non-public address.";
        }
        return null;
    }

    private static string? HostNameProblem(Uri uri)
    {
        string host;
        try
        {
            host = uri.IdnHost.TrimEnd('.');
        }
        catch (UriFormatException)
        {
            return "has a host name that is not valid.";
        }
        if (host.Length > InputLimits.MaxHostLength)
        {
            return $"has a host name of {host.Length} characters; at most {InputLimits.MaxHostLength} are allowed.";
        }
        var labels = host.Split('.');
        if (labels.Any(label => label.Length == 0))
        {
            return "has an empty label in its host name.";
        }
        return labels.FirstOrDefault(label => label.Length > InputLimits.MaxHostLabelLength) is { } tooLong
            ? $"has a host name label of {tooLong.Length} characters; at most {InputLimits.MaxHostLabelLength} are allowed."
            : null;
    }

    private static bool IsLoopbackHost(Uri uri)
    {
        var host = uri.IdnHost.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return true;
        }
        return IPAddress.TryParse(host, out var address) && AddressClassifier.IsLoopback(address);
    }
}
