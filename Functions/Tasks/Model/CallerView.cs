using System.Text.Json.Serialization;
using SdServerless.Functions.Hosting;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>
/// The caller behind an API key: <c>owner</c> is the id its tasks are kept under (never the key), <c>key_kind</c> says
/// where the key is defined: <c>local-dev</c>, <c>configured</c> (<c>Api:ApiKeys</c>) or <c>api-gateway</c>.
/// </summary>
public sealed record CallerView(
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("key_kind")] string KeyKind)
{
    public static CallerView For(string owner) => new(owner, owner switch
    {
        ApiKeyAuthenticator.LocalDevOwner => "local-dev",
        _ when owner.StartsWith(ApiKeyAuthenticator.ApiGatewayOwnerPrefix, StringComparison.Ordinal) => "api-gateway",
        _ => "configured",
    });
}
