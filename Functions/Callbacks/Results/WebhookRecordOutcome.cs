using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.Functions.Callbacks.Webhooks;

namespace SdServerless.Functions.Callbacks.Results;

/// <summary>A webhook attempt's end, as the record that asked for it ends: done, or kept for a retry after the attempt's backoff.</summary>
internal static class WebhookRecordOutcome
{
    public static RecordOutcome Of(WebhookOutcome webhook) => new(webhook.Done, webhook.RetryAfter);
}
