using SdServerless.Aws.TaskStore;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>The outcome of <see cref="WebhookDeliveryTable.ClaimAsync"/>, with the attempts made before this one.</summary>
public sealed record WebhookClaim(WebhookClaimResult Result, int PreviousAttempts);
