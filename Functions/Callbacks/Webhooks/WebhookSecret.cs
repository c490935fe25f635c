namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>A Standard Webhooks signing secret: <c>whsec_</c> then base64; the HMAC key is the decoded bytes.</summary>
public sealed class WebhookSecret
{
    public const string Prefix = "whsec_";

    private WebhookSecret(byte[] key) => Key = key;

    public byte[] Key { get; }

    /// <summary>The secret, or null with <paramref name="problem"/> saying what is wrong with it.</summary>
    public static WebhookSecret? TryParse(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text) || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = $"must start with '{Prefix}'.";
            return null;
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text[Prefix.Length..]);
        }
        catch (FormatException)
        {
            problem = $"must be '{Prefix}' followed by base64.";
            return null;
        }
        if (key.Length is < 24 or > 64)
        {
            problem = $"must hold 24 to 64 bytes after '{Prefix}' (it holds {key.Length}).";
            return null;
        }
        return new WebhookSecret(key);
    }
}
