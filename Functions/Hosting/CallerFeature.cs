namespace SdServerless.Functions.Hosting;

/// <summary>The authenticated caller of this request, set by <see cref="RequireApiKeyFilter"/>.</summary>
public sealed record CallerFeature(string Owner)
{
    public static string OwnerOf(HttpContext context) =>
        context.Features.Get<CallerFeature>()?.Owner ?? throw new InvalidOperationException("The endpoint is not behind RequireApiKeyFilter.");
}
