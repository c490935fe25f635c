using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Callbacks.Webhooks;

/// <summary>Each API key reads the secret that signs its own webhooks, derived from the one configured for every caller.</summary>
[Collection(ApiCollection.Name)]
public class WebhookSecretsApiTests(ApiFixture fixture)
{
    private const string Root = "whsec_YmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYg==";

    [Fact]
    public async Task EachKeyHasItsOwnWebhookSecret()
    {
        await using var app = fixture.CreateFactory(new Dictionary<string, string> { ["Webhooks:Secrets:0:Owner"] = "*", ["Webhooks:Secrets:0:Secret"] = Root });

        var secrets = new List<string>();
        foreach (var key in new[] { ApiFixture.KeyA, ApiFixture.KeyB })
        {
            using var client = app.CreateClient();
            client.DefaultRequestHeaders.Add("x-api-key", key);
            var answer = await client.GetFromJsonAsync<JsonElement>("/v1/me/webhook-secrets");
            Assert.StartsWith("key-", answer.GetProperty("owner").GetString());
            secrets.Add(Assert.Single(answer.GetProperty("secrets").EnumerateArray()).GetString()!);
        }

        Assert.All(secrets, secret => Assert.StartsWith("whsec_", secret));
        Assert.NotEqual(secrets[0], secrets[1]);
        Assert.DoesNotContain(Root, secrets);
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/me/webhook-secrets")).StatusCode);
    }
}
