using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>
/// Standard Webhooks signatures: <c>v1,</c> + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")),
/// one per key, separated by spaces.
/// </summary>
public static class WebhookSigner
{
    public static string Sign(IReadOnlyList<byte[]> keys, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return string.Join(' ', keys.Select(key => "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content))));
    }
}
