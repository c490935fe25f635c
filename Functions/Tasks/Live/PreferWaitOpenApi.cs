using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>Documents the <c>Prefer</c> request header and the <c>Preference-Applied</c> answer header of a route that honours <c>wait</c>.</summary>
public static class PreferWaitOpenApi
{
    public static RouteHandlerBuilder WithPreferWaitHeader(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = PreferWait.PreferHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = "RFC 7240 preferences; wait=N (whole seconds, at most 60; a bare wait means 60) waits up to N seconds for the task to end.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (status.StartsWith('2') && response is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers[PreferWait.AppliedHeader] = new OpenApiHeader
                    {
                        Description = "wait=N when the answer waited for the task (up to N seconds).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
            return Task.CompletedTask;
        });
}
