using System.Security.Cryptography;
using System.Text;
using SdServerless.Functions.Hosting;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>
/// Which secrets sign a caller's webhooks: its own (several during rotation), else one derived for it from each secret
/// of owner <c>*</c> (HMAC-SHA256 of the owner id under that secret), so no two callers share a secret even where one
/// root secret is configured for all (docs/decisions/0605).
/// </summary>
public sealed class WebhookSecrets
{
    public const string AnyOwner = "*";

    private readonly Dictionary<string, List<WebhookSecret>> _byOwner = new(StringComparer.Ordinal);

    public WebhookSecrets(WebhooksOptions options, bool localDevMode)
    {
        var problems = Problems(options);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }
        foreach (var entry in options.Secrets)
        {
            Add(OwnerOf(entry)!, WebhookSecret.TryParse(entry.Secret, out _)!);
        }
        if (localDevMode && !_byOwner.ContainsKey(ApiKeyAuthenticator.LocalDevOwner))
        {
            Add(ApiKeyAuthenticator.LocalDevOwner, WebhookSecret.TryParse(WebhooksOptions.LocalDevSecret, out _)!);
        }
    }

    /// <summary>The keys that sign <paramref name="owner"/>'s webhooks; empty when none is configured.</summary>
    public IReadOnlyList<byte[]> KeysFor(string owner) =>
        _byOwner.TryGetValue(owner, out var own)
            ? [.. own.Select(s => s.Key)]
            : [.. (_byOwner.GetValueOrDefault(AnyOwner) ?? []).Select(root => Derive(root.Key, owner))];

    /// <summary>The caller's secrets as it configures its receiver: <c>whsec_</c> + base64 of each key, newest last.</summary>
    public IReadOnlyList<string> SecretsFor(string owner) =>
        [.. KeysFor(owner).Select(key => WebhookSecret.Prefix + Convert.ToBase64String(key))];

    private static byte[] Derive(byte[] root, string owner) =>
        HMACSHA256.HashData(root, Encoding.UTF8.GetBytes($"webhook-secret\n{owner}"));

    /// <summary>What is wrong with the configured secrets, each naming its setting.</summary>
    public static IReadOnlyList<string> Problems(WebhooksOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Secrets.Count; i++)
        {
            var entry = options.Secrets[i];
            var name = $"{WebhooksOptions.SectionName}:Secrets:{i}";
            if (string.IsNullOrWhiteSpace(entry.Owner) == string.IsNullOrWhiteSpace(entry.ApiKey))
            {
                problems.Add($"{name} needs exactly one of Owner and ApiKey.");
            }
            if (WebhookSecret.TryParse(entry.Secret, out var problem) is null)
            {
                problems.Add($"{name}:Secret {problem}");
            }
        }
        return problems;
    }

    private static string? OwnerOf(WebhookSecretOptions entry) =>
        string.IsNullOrWhiteSpace(entry.ApiKey) ? entry.Owner?.Trim() : ApiKeyAuthenticator.OwnerOf(Encoding.UTF8.GetBytes(entry.ApiKey));

    private void Add(string owner, WebhookSecret secret)
    {
        if (!_byOwner.TryGetValue(owner, out var list))
        {
            _byOwner[owner] = list = [];
        }
        list.Add(secret);
    }
}
