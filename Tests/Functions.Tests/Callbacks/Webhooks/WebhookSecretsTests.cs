using System.Security.Cryptography;
using System.Text;
using SdServerless.Functions.Callbacks.Webhooks;

namespace SdServerless.Functions.Tests.Callbacks.Webhooks;

public class WebhookSecretsTests
{
    private const string A = "whsec_YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYQ==";
    private const string B = "whsec_YmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYg==";

    [Fact]
    public void AnOwnerWithSeveralSecretsGetsThemAllAndOthersGetTheWildcard()
    {
        var secrets = new WebhookSecrets(Options(("key-one", null, A), ("key-one", null, B), ("*", null, B)), localDevMode: false);

        Assert.Equal(2, secrets.KeysFor("key-one").Count);
        Assert.Single(secrets.KeysFor("apigw-other"));
    }

    [Fact]
    public void AnApiKeyEntrySignsForThatKeysOwner()
    {
        var secrets = new WebhookSecrets(Options((null, "my-api-key", A)), localDevMode: false);

        var owner = $"key-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("my-api-key")))[..32]}";
        Assert.Single(secrets.KeysFor(owner));
        Assert.Empty(secrets.KeysFor("key-someone-else"));
    }

    [Fact]
    public void LocalDevModeHasTheDocumentedSecretForLocalDev()
    {
        Assert.Single(new WebhookSecrets(new WebhooksOptions(), localDevMode: true).KeysFor("local-dev"));
        Assert.Empty(new WebhookSecrets(new WebhooksOptions(), localDevMode: false).KeysFor("local-dev"));
    }

    [Fact]
    public void BadEntriesAreNamedBySetting()
    {
        var problems = WebhookSecrets.Problems(Options(("key-one", "and-a-key", A), ("key-two", null, "whsec_nope")));

        Assert.Contains(problems, p => p.StartsWith("Webhooks:Secrets:0 needs exactly one of Owner and ApiKey", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Webhooks:Secrets:1:Secret", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => new WebhookSecrets(Options(("key-two", null, "bad")), localDevMode: false));
    }

    private static WebhooksOptions Options(params (string? Owner, string? ApiKey, string Secret)[] entries) => new()
    {
        Secrets = [.. entries.Select(e => new WebhookSecretOptions { Owner = e.Owner, ApiKey = e.ApiKey, Secret = e.Secret })],
    };

    [Fact]
    public void CallersWithoutTheirOwnSecretEachGetOneDerivedFromTheRootNeverTheRootItself()
    {
        var secrets = new WebhookSecrets(Options(("*", null, B)), localDevMode: false);

        var one = Assert.Single(secrets.KeysFor("apigw-one"));
        var two = Assert.Single(secrets.KeysFor("apigw-two"));

        Assert.NotEqual(one, two);
        Assert.NotEqual(Convert.FromBase64String(B["whsec_".Length..]), one);
        Assert.Equal(HMACSHA256.HashData(Convert.FromBase64String(B["whsec_".Length..]), Encoding.UTF8.GetBytes("webhook-secret\napigw-one")), one);
        Assert.Equal(one, secrets.KeysFor("apigw-one")[0]);
        Assert.Equal("whsec_" + Convert.ToBase64String(one), Assert.Single(secrets.SecretsFor("apigw-one")));
    }
}
