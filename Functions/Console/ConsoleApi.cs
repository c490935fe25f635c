using Microsoft.AspNetCore.Mvc;

namespace SdServerless.Functions.Console;

/// <summary>
/// The web console: static files embedded in this assembly, served under <c>/console/</c> without an API key (the page
/// holds none; it asks the user and sends it to the API itself) and under a strict Content-Security-Policy.
/// </summary>
public static class ConsoleApi
{
    public const string Path = "/console";

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder app)
    {
        // Matches /console, /console/ and /console/<file> (routing ignores a trailing slash).
        app.MapGet(Path + "/{*file}", GetConsoleFile)
            .WithName("ConsoleFile")
            .ExcludeFromDescription();
        return app;
    }

    public static Results<FileContentHttpResult, StatusCodeHttpResult, RedirectHttpResult, NotFound> GetConsoleFile(
        string? file, HttpContext context, [FromServices] ConsoleAssets assets, [FromServices] ConsoleSecurityPolicy policy)
    {
        if (string.IsNullOrEmpty(file) && context.Request.Path.Value?.EndsWith('/') != true)
        {
            // The page's links are relative; a relative redirect keeps the stage's path behind API Gateway (/Prod/console/).
            return TypedResults.Redirect("console/");
        }
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
