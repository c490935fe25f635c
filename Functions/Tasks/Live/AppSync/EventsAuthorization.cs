using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SdServerless.Aws.Signing;

namespace SdServerless.Functions.Tasks.Live.AppSync;

/// <summary>
/// IAM authorization for an AppSync Events API: the SigV4-signed headers (service <c>appsync</c>) of a POST to
/// <c>https://{http-domain}/event</c> with a JSON body. An HTTP publish sends them as its headers; over the WebSocket
/// they travel as a JSON object: in the <c>header-…</c> subprotocol when connecting (body <c>{}</c>) and in the
/// <c>authorization</c> field of a subscribe (body <c>{"channel":"/ns/name"}</c>).
/// </summary>
public static class EventsAuthorization
{
    public const string Service = "appsync";
    public const string Accept = "application/json, text/javascript";
    public const string ContentEncoding = "amz-1.0";
    public const string ContentType = "application/json; charset=UTF-8";
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Header values are written as they are ('+' in a session token stays '+'), not HTML-escaped.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The headers, lowercase names in the order AppSync's clients send them, <c>authorization</c> last.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(Uri httpEndpoint, string body, SigningCredentials credentials, string region, DateTimeOffset now)
    {
        var uri = EventUri(httpEndpoint);
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("accept", Accept),
            new("content-encoding", ContentEncoding),
            new("content-type", ContentType),
            new("host", uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}"),
            new("x-amz-date", amzDate),
        };
        if (!string.IsNullOrEmpty(credentials.SessionToken))
        {
            headers.Add(new("x-amz-security-token", credentials.SessionToken));
        }
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var canonical = SigV4Signer.CanonicalRequest("POST", uri, headers, payloadHash);
        var scope = $"{amzDate[..8]}/{region}/{Service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.Request)))}";
        var key = SigV4Signer.DeriveSigningKey(credentials.SecretKey, amzDate[..8], region, Service);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        headers.Add(new("authorization", $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={canonical.SignedHeaders}, Signature={signature}"));
        return headers;
    }

    /// <summary><c>{http endpoint}/event</c>, where publishes go and what every authorization is signed for.</summary>
    public static Uri EventUri(Uri httpEndpoint) => new(httpEndpoint, "/event");

    /// <summary>The headers as one JSON object, as a subscribe message's <c>authorization</c> carries them.</summary>
    public static void WriteObject(Utf8JsonWriter writer, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in headers)
        {
            writer.WriteString(name, value);
        }
        writer.WriteEndObject();
    }

    /// <summary>The WebSocket subprotocol that authorizes the connection: <c>header-</c> and the headers' JSON in base64url without padding.</summary>
    public static string HeaderSubprotocol(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteObject(writer, headers);
        }
        return "header-" + Convert.ToBase64String(buffer.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
