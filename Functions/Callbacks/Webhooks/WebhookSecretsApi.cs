using SdServerless.Functions.Hosting;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>
/// <c>GET /v1/me/webhook-secrets</c>: the secrets that sign the caller's webhooks, so that a receiver can verify them;
/// each key has its own (docs/decisions/0605).
/// </summary>
public static class WebhookSecretsApi
{
    public static IEndpointRouteBuilder MapWebhookSecretsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/me/webhook-secrets", GetWebhookSecrets)
            .AddEndpointFilter<RequireApiKeyFilter>()
            .WithTags("Caller")
            .WithName("GetWebhookSecrets")
            .WithSummary("The Standard Webhooks secrets (whsec_...) that sign this API key's webhooks; empty when webhooks are not signed")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static Ok<WebhookSecretsView> GetWebhookSecrets(HttpContext context, [Microsoft.AspNetCore.Mvc.FromServices] WebhookSecrets secrets)
    {
        var owner = CallerFeature.OwnerOf(context);
        return TypedResults.Ok(new WebhookSecretsView(owner, secrets.SecretsFor(owner)));
    }
}
