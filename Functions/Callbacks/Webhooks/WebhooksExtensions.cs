using Amazon.DynamoDBv2;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Aws.TaskStore;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Views;
using SdServerless.ServiceDefaults.Net;

namespace SdServerless.Functions.Callbacks.Webhooks;

/// <summary>Wiring of webhook delivery: secrets, retries, the sender with its outbound address policy, the claims table, and the progress webhook's limit.</summary>
public static class WebhooksExtensions
{
    public static IServiceCollection AddWebhookServices(this IServiceCollection services)
    {
        services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.SectionName)
            .Validate(o => WebhookSecrets.Problems(o).Count == 0, "Webhooks:Secrets has an invalid entry; every entry needs Owner or ApiKey and a whsec_ Secret.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Webhooks:Timeout must be positive.")
            .Validate(o => o.ProgressInterval > TimeSpan.Zero, "Webhooks:ProgressInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebhooksOptions>>().Value);

        services.AddSingleton(sp => new WebhookSecrets(sp.GetRequiredService<WebhooksOptions>(), sp.GetRequiredService<ApiOptions>().LocalDevMode));
        services.AddSingleton(sp => new WebhookRetrySchedule(sp.GetRequiredService<WebhooksOptions>().EffectiveRetryDelays));
        services.AddSingleton(sp =>
        {
            // Its own HttpClient, not the factory's: no resilience handler (retries are ours, spread over hours), no redirects,
            // and only addresses the policy allows, checked when the connection is made.
            var policy = new OutboundAddressPolicy(allowLoopback: sp.GetRequiredService<ApiOptions>().LocalDevMode);
            var handler = policy.CreateHandler();
            handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2);
            var http = new HttpClient(handler) { Timeout = sp.GetRequiredService<WebhooksOptions>().Timeout };
            return new WebhookSender(http, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new WebhookDeliveryTable(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton(sp => new WebhookDelivery(
            sp.GetRequiredService<WebhookDeliveryTable>(),
            sp.GetRequiredService<WebhookSender>(),
            sp.GetRequiredService<WebhookSecrets>(),
            sp.GetRequiredService<WebhookRetrySchedule>(),
            sp.GetRequiredService<TaskViewFactory>(),
            // An attempt holds the slot for its timeout and a margin; a crash mid-attempt frees it after that.
            lease: sp.GetRequiredService<WebhooksOptions>().Timeout + TimeSpan.FromSeconds(30),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WebhookDelivery>>()));
        services.AddSingleton(sp => new ProgressWebhookGate(
            sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable, sp.GetRequiredService<WebhooksOptions>().ProgressInterval));
        services.AddSingleton<ProgressWebhook>();
        return services;
    }
}
