namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>One signing secret and whose webhooks it signs: an owner id (as tasks record it), or an API key that <c>Api:ApiKeys</c> accepts.</summary>
public sealed class WebhookSecretOptions
{
    /// <summary><c>key-…</c>, <c>apigw-…</c> (the API Gateway key id with that prefix), <c>local-dev</c>, or <c>*</c> for every caller without a secret of its own.</summary>
    public string? Owner { get; set; }

    /// <summary>Instead of <see cref="Owner"/>: the API key itself, turned into its owner id.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>whsec_</c> followed by the base64 of 24 to 64 random bytes.</summary>
    public string Secret { get; set; } = "";
}
