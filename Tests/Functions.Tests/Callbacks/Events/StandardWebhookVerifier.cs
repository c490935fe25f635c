using System.Security.Cryptography;
using System.Text;

namespace SdServerless.Functions.Tests.Callbacks.Events;

/// <summary>
/// A receiver's check of a Standard Webhooks signature, written from the specification and independent of the app's
/// signer: HMAC-SHA256 keyed with the base64 after <c>whsec_</c> over "id.timestamp.body", any <c>v1,</c> entry matching.
/// </summary>
public static class StandardWebhookVerifier
{
    public static bool Verify(string secret, ReceivedWebhook webhook)
    {
        var key = Convert.FromBase64String(secret.Split('_', 2)[1]);
        var signed = Encoding.UTF8.GetBytes(webhook.Header("webhook-id") + "." + webhook.Header("webhook-timestamp") + ".")
            .Concat(webhook.Body).ToArray();
        using var hmac = new HMACSHA256(key);
        var expected = hmac.ComputeHash(signed);
        foreach (var entry in webhook.Header("webhook-signature").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',');
            if (comma > 0 && entry[..comma] == "v1"
                && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(entry[(comma + 1)..]), expected))
            {
                return true;
            }
        }
        return false;
    }
}
