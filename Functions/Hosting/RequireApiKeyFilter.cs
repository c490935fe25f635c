namespace SdServerless.Functions.Hosting;

/// <summary>Answers 401 unless the request carries an acceptable <c>x-api-key</c>; runs before the body is read.</summary>
public sealed class RequireApiKeyFilter(ApiKeyAuthenticator authenticator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var owner = authenticator.Authenticate(context.HttpContext.Request);
        if (owner is null)
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeyAuthenticator.HeaderName}\"";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: $"Send a valid API key in the {ApiKeyAuthenticator.HeaderName} header.");
        }
        context.HttpContext.Features.Set(new CallerFeature(owner));
        return await next(context);
    }
}
