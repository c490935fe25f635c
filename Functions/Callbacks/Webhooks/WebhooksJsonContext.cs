using System.Text.Json.Serialization;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>Source-generated JSON for <c>GET /v1/me/webhook-secrets</c>.</summary>
[JsonSerializable(typeof(WebhookSecretsView))]
public sealed partial class WebhooksJsonContext : JsonSerializerContext;
