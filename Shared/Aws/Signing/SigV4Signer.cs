using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SdServerless.Aws.Signing;

/// <summary>
/// AWS Signature Version 4 for requests whose whole body is in memory
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
/// </summary>
public sealed class SigV4Signer(string service, string region)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    public string Service { get; } = service;

    public string Region { get; } = region;

    /// <summary>Adds <c>x-amz-date</c>, <c>x-amz-content-sha256</c> (when asked), the session token and <c>Authorization</c> to <paramref name="request"/>.</summary>
    public void Sign(HttpRequestMessage request, byte[] body, SigningCredentials credentials, DateTimeOffset now, bool addContentSha256Header = false)
    {
        ArgumentNullException.ThrowIfNull(request.RequestUri);
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var payloadHash = Hex(SHA256.HashData(body));

        request.Headers.Remove("x-amz-date");
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        if (addContentSha256Header)
        {
            request.Headers.Remove("x-amz-content-sha256");
            request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        }
        if (!string.IsNullOrEmpty(credentials.SessionToken))
        {
            request.Headers.Remove("x-amz-security-token");
            request.Headers.TryAddWithoutValidation("x-amz-security-token", credentials.SessionToken);
        }

        var headers = CollectHeaders(request);
        var canonical = CanonicalRequest(request.Method.Method, request.RequestUri, headers, payloadHash);
        var scope = $"{amzDate[..8]}/{Region}/{Service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.Request)))}";
        var signature = Hex(HMACSHA256.HashData(DeriveSigningKey(credentials.SecretKey, amzDate[..8], Region, Service), Encoding.UTF8.GetBytes(stringToSign)));

        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={canonical.SignedHeaders}, Signature={signature}");
    }

    /// <summary>The canonical request and its signed-header list, exposed for tests against AWS's published examples.</summary>
    public static (string Request, string SignedHeaders) CanonicalRequest(
        string method, Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash)
    {
        var sorted = headers
            .GroupBy(h => h.Key.ToLowerInvariant())
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => CollapseWhitespace(h.Value)))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var canonicalHeaders = string.Concat(sorted.Select(h => $"{h.Name}:{h.Value}\n"));
        var signedHeaders = string.Join(";", sorted.Select(h => h.Name));
        var path = string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : CanonicalPath(uri.AbsolutePath);
        var request = $"{method}\n{path}\n{CanonicalQuery(uri.Query)}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
        return (request, signedHeaders);
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] DeriveSigningKey(string secretKey, string date, string region, string service)
    {
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, "aws4_request"u8.ToArray());
    }

    private static List<KeyValuePair<string, string>> CollectHeaders(HttpRequestMessage request)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", request.Headers.Host ?? HostHeader(request.RequestUri!)),
        };
        foreach (var header in request.Headers)
        {
            if (header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                headers.AddRange(header.Value.Select(v => new KeyValuePair<string, string>(header.Key, v)));
            }
        }
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.Where(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
            {
                headers.AddRange(header.Value.Select(v => new KeyValuePair<string, string>(header.Key, v)));
            }
        }
        return headers;
    }

    private static string HostHeader(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

    private static string CanonicalPath(string absolutePath) =>
        string.Join("/", absolutePath.Split('/').Select(segment => Uri.EscapeDataString(Uri.UnescapeDataString(segment))));

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return "";
        }
        return string.Join("&", query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=');
                var name = eq < 0 ? pair : pair[..eq];
                var value = eq < 0 ? "" : pair[(eq + 1)..];
                // A literal '+' in a URI query is a plus, as AWS reads it (%2B), not a form-encoded space.
                return (Name: Uri.EscapeDataString(Uri.UnescapeDataString(name)), Value: Uri.EscapeDataString(Uri.UnescapeDataString(value)));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    private static string CollapseWhitespace(string value) =>
        string.Join(' ', value.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
