using Microsoft.AspNetCore.Mvc;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Tasks.Api;

public static class RuntimesApi
{
    public static IEndpointRouteBuilder MapRuntimesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/runtimes", ListRuntimes)
            .AddEndpointFilter<RequireApiKeyFilter>()
            .WithTags("Runtimes")
            .WithName("ListRuntimes")
            .WithSummary("List the configured runtimes with their queue depth")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Ok<RuntimeListView>> ListRuntimes([FromServices] RuntimeQueueStats stats, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RuntimeListView(await stats.ListAsync(cancellationToken)));
}
