namespace SdServerless.Functions.Hosting;

/// <summary>The <c>Api</c> configuration section: who may call, and what callers may ask for.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The API key accepted in local dev mode.</summary>
    public const string LocalDevKey = "local-dev-key";

    /// <summary>
    /// Local runs only (the AppHost sets it): accepts <see cref="LocalDevKey"/> and loopback <c>http://</c> callback URLs.
    /// Never set it where the API is reachable from outside the machine.
    /// </summary>
    public bool LocalDevMode { get; set; }

    /// <summary>
    /// Accepted API keys (<c>Api__ApiKeys__0=...</c>, <c>Api__ApiKeys__1=...</c>). A caller is identified by a hash of
    /// its key, so rotating a key starts a new task list.
    /// </summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>
    /// Behind API Gateway with API keys required (the deployed stack): the gateway has checked <c>x-api-key</c>, and the
    /// caller is the API key id from the request context the Lambda Web Adapter forwards.
    /// </summary>
    public bool TrustApiGatewayKeys { get; set; }

    /// <summary>The runtime for requests that name none; empty means the first of <c>Resources:Runtimes</c>.</summary>
    public string? DefaultRuntime { get; set; }

    /// <summary>The bucket whose <c>s3://</c> URIs are accepted as init images; empty means the output bucket.</summary>
    public string? InputBucket { get; set; }

    /// <summary>How long presigned output URLs stay valid.</summary>
    public TimeSpan PresignedUrlExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Largest request body accepted; larger ones answer 413.</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;
}
