using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SdServerless.Aws.Signing;

/// <summary>
/// A presigned S3 PUT (SigV4 in the query string) that binds the body's <c>content-type</c> and <c>content-length</c>:
/// both are signed headers, so S3 computes the signature from the values the uploader sends, and any other type or
/// length answers 403 <c>SignatureDoesNotMatch</c>. The AWS SDK's <c>GetPreSignedURL</c> signs the content type but
/// has no way to sign the length, which is why this exists. The payload itself is <c>UNSIGNED-PAYLOAD</c>.
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
/// </summary>
/// <param name="endpoint">An S3 endpoint override (the local emulator): path-style URLs on it. Null: virtual-hosted AWS URLs.</param>
public sealed class S3PutPresigner(string region, Uri? endpoint)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    public const int MaxExpirySeconds = 604800;

    public Uri Presign(string bucket, string key, string contentType, long contentLength, TimeSpan expiry, SigningCredentials credentials, DateTimeOffset now)
    {
        var seconds = (int)Math.Clamp(expiry.TotalSeconds, 1, MaxExpirySeconds);
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{amzDate[..8]}/{region}/s3/aws4_request";
        var path = string.Join("/", key.Split('/').Select(Uri.EscapeDataString));
        var baseUri = endpoint is null
            ? new Uri($"https://{bucket}.s3.{region}.amazonaws.com/{path}")
            : new Uri($"{endpoint.GetLeftPart(UriPartial.Authority)}/{Uri.EscapeDataString(bucket)}/{path}");
        var query = new List<(string Name, string Value)>
        {
            ("X-Amz-Algorithm", Algorithm),
            ("X-Amz-Credential", $"{credentials.AccessKey}/{scope}"),
            ("X-Amz-Date", amzDate),
            ("X-Amz-Expires", seconds.ToString(CultureInfo.InvariantCulture)),
            ("X-Amz-SignedHeaders", "content-length;content-type;host"),
        };
        if (!string.IsNullOrEmpty(credentials.SessionToken))
        {
            query.Add(("X-Amz-Security-Token", credentials.SessionToken));
        }
        var unsigned = new Uri($"{baseUri.AbsoluteUri}?{string.Join("&", query.Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}"))}");
        var host = baseUri.IsDefaultPort ? baseUri.Host : $"{baseUri.Host}:{baseUri.Port}";
        var headers = new List<KeyValuePair<string, string>>
        {
            new("content-length", contentLength.ToString(CultureInfo.InvariantCulture)),
            new("content-type", contentType),
            new("host", host),
        };
        var canonical = SigV4Signer.CanonicalRequest("PUT", unsigned, headers, "UNSIGNED-PAYLOAD");
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.Request)))}";
        var key256 = SigV4Signer.DeriveSigningKey(credentials.SecretKey, amzDate[..8], region, "s3");
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key256, Encoding.UTF8.GetBytes(stringToSign)));
        return new Uri($"{unsigned.AbsoluteUri}&X-Amz-Signature={signature}");
    }
}
