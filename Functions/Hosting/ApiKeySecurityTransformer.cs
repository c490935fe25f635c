using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SdServerless.Functions.Hosting;

/// <summary>Declares the <c>x-api-key</c> header scheme in the OpenAPI document and requires it everywhere.</summary>
public sealed class ApiKeySecurityTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeName = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "SdServerless task API";
        document.Info.Description = "Asynchronous Stable Diffusion image generation. Authenticate with the x-api-key header.";
        // Where the API lives depends on the deployment (API Gateway stage, local port): the document names no server.
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticator.HeaderName,
            Description = "The API key (local dev mode: local-dev-key).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
