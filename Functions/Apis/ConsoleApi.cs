using SdServerless.Functions.Console;

namespace SdServerless.Functions.Apis;

/// <summary>
/// The web console: static files embedded in this assembly, served under <c>/console/</c> without an API key (the page
/// holds none; it asks the user and sends it to the API itself) and under a strict Content-Security-Policy.
/// </summary>
public static class ConsoleApi
{
    public const string Path = "/console";

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder app)
    {
        // Relative redirect: behind API Gateway the page lives under the stage's path (/Prod/console/).
        app.MapGet(Path, () => TypedResults.Redirect("console/"))
            .WithName("ConsoleRoot")
            .ExcludeFromDescription();

        app.MapGet(Path + "/{*file}", GetConsoleFile)
            .WithName("ConsoleFile")
            .ExcludeFromDescription();
        return app;
    }

    public static Results<FileContentHttpResult, StatusCodeHttpResult, NotFound> GetConsoleFile(
        string? file, HttpContext context, ConsoleAssets assets, ConsoleSecurityPolicy policy)
    {
        if (assets.Find(string.IsNullOrEmpty(file) ? ConsoleAssets.IndexFile : file) is not { } asset)
        {
            return TypedResults.NotFound();
        }
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = policy.Header;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
