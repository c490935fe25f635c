using System.Text.Json;

namespace SdServerless.Functions.Hosting;

/// <summary>
/// What API Gateway and Lambda tell us about a request, as the Lambda Web Adapter forwards it in the
/// <c>x-amzn-request-context</c> and <c>x-amzn-lambda-context</c> headers. The only place that reads those headers;
/// under Kestrel alone (local runs) both are absent.
/// </summary>
public sealed record LambdaRequestContext(string? RequestId, string? ApiKeyId, string? LambdaRequestId)
{
    public const string RequestContextHeader = "x-amzn-request-context";
    public const string LambdaContextHeader = "x-amzn-lambda-context";

    public static LambdaRequestContext From(HttpRequest request)
    {
        string? requestId = null, apiKeyId = null, lambdaRequestId = null;
        if (request.Headers[RequestContextHeader].ToString() is { Length: > 0 } requestContext && TryParse(requestContext) is { } context)
        {
            using (context)
            {
                requestId = String(context.RootElement, "requestId");
                if (context.RootElement.TryGetProperty("identity", out var identity))
                {
                    apiKeyId = String(identity, "apiKeyId");
                }
            }
        }
        if (request.Headers[LambdaContextHeader].ToString() is { Length: > 0 } lambdaContext && TryParse(lambdaContext) is { } lambda)
        {
            using (lambda)
            {
                lambdaRequestId = String(lambda.RootElement, "request_id");
            }
        }
        return new LambdaRequestContext(requestId, apiKeyId, lambdaRequestId);
    }

    private static JsonDocument? TryParse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
