using System.Diagnostics;
using System.Diagnostics.Metrics;
using SdServerless.ServiceDefaults.Telemetry;

namespace SdServerless.Functions.Hosting;

/// <summary>The API's and callbacks' metrics: tasks accepted, webhook attempts by outcome, dead-letter arrivals, task channel publishes.</summary>
public static class FunctionsMetrics
{
    private static readonly Counter<long> Submitted = SdServerlessTelemetry.Meter.CreateCounter<long>(
        "sdserverless.api.tasks", description: "Tasks the API accepted (state queued) or failed to queue (state failed), by runtime");
    private static readonly Counter<long> WebhookAttempts = SdServerlessTelemetry.Meter.CreateCounter<long>(
        "sdserverless.webhooks.attempts", description: "Webhook delivery attempts by event and outcome (delivered, retrying, failed)");
    private static readonly Counter<long> DeadLetters = SdServerlessTelemetry.Meter.CreateCounter<long>(
        "sdserverless.dead_letters", description: "Task messages that reached a runtime's dead-letter queue");
    private static readonly Counter<long> ChannelPublishes = SdServerlessTelemetry.Meter.CreateCounter<long>(
        "sdserverless.task_channel.publishes", description: "Task starts, progress and ends published to the task channel, by kind and outcome (published, failed)");

    public static void TaskSubmitted(string runtime, string state) =>
        Submitted.Add(1, new TagList { { "runtime", runtime }, { "state", state } });

    public static void WebhookAttempted(string eventName, string outcome) =>
        WebhookAttempts.Add(1, new TagList { { "event", eventName }, { "outcome", outcome } });

    public static void ChannelPublished(string kind, string outcome) =>
        ChannelPublishes.Add(1, new TagList { { "kind", kind }, { "outcome", outcome } });

    public static void DeadLetterArrived(string runtime) =>
        DeadLetters.Add(1, new TagList { { "runtime", runtime } });
}
