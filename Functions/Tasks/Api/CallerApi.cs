using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Model;

namespace SdServerless.Functions.Tasks.Api;

/// <summary><c>GET /v1/me</c>: who the presented API key belongs to, so that a client (the console) can check a key and show it.</summary>
public static class CallerApi
{
    public static IEndpointRouteBuilder MapCallerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/me", GetCaller)
            .AddEndpointFilter<RequireApiKeyFilter>()
            .WithTags("Caller")
            .WithName("GetCaller")
            .WithSummary("Who the API key belongs to: the owner id its tasks are listed under")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static Ok<CallerView> GetCaller(HttpContext context) => TypedResults.Ok(CallerView.For(CallerFeature.OwnerOf(context)));
}
