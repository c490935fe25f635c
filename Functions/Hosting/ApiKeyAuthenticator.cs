using System.Security.Cryptography;
using System.Text;

namespace SdServerless.Functions.Hosting;

/// <summary>
/// Finds who is calling from <c>x-api-key</c>: a configured key (identified by a hash of it), <c>local-dev-key</c> in
/// local dev mode, or, behind API Gateway with keys required, the API key id the gateway checked.
/// </summary>
public sealed class ApiKeyAuthenticator(ApiOptions options)
{
    public const string HeaderName = "x-api-key";
    public const string LocalDevOwner = "local-dev";
    public const string ApiGatewayOwnerPrefix = "apigw-";

    private readonly byte[][] _keys = [.. options.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => Encoding.UTF8.GetBytes(k))];

    /// <summary>The caller's owner id, or null when the request carries no acceptable key.</summary>
    public string? Authenticate(HttpRequest request)
    {
        if (options.TrustApiGatewayKeys && LambdaRequestContext.From(request).ApiKeyId is { Length: > 0 } apiKeyId)
        {
            return ApiGatewayOwnerPrefix + apiKeyId;
        }
        var key = request.Headers[HeaderName].ToString();
        if (key.Length == 0)
        {
            return null;
        }
        if (options.LocalDevMode && key == ApiOptions.LocalDevKey)
        {
            return LocalDevOwner;
        }
        var presented = Encoding.UTF8.GetBytes(key);
        return _keys.Any(known => CryptographicOperations.FixedTimeEquals(known, presented)) ? OwnerOf(presented) : null;
    }

    /// <summary>Owner id for a configured key: a hash, so the key itself is never stored.</summary>
    public static string OwnerOf(byte[] key) => $"key-{Convert.ToHexStringLower(SHA256.HashData(key))[..32]}";
}
