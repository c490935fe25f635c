using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>The secrets that sign a caller's webhooks (all of them sign each webhook while one is being rotated).</summary>
public sealed record WebhookSecretsView(
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("secrets")] IReadOnlyList<string> Secrets);
