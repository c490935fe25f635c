using Amazon.DynamoDBv2;
using Amazon.SQS;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Aws.Sns;
using SdServerless.Aws.Tasks;
using SdServerless.Functions.Apis;
using SdServerless.Functions.Events;
using SdServerless.Functions.Events.DeadLetters;
using SdServerless.Functions.Events.Local;
using SdServerless.Functions.Events.Results;
using SdServerless.Functions.Options;
using SdServerless.ServiceDefaults.Net;

namespace SdServerless.Functions.Webhooks;

/// <summary>Wiring of <c>/events</c>: result and dead-letter handling, webhook delivery, and the local poller.</summary>
public static class WebhooksExtensions
{
    public static IServiceCollection AddEventServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.SectionName);
        services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.SectionName)
            .Validate(o => WebhookSecrets.Problems(o).Count == 0, "Webhooks:Secrets has an invalid entry; every entry needs Owner or ApiKey and a whsec_ Secret.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Webhooks:Timeout must be positive.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EventsOptions>>().Value);
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
        services.AddSingleton(sp => new ResultTopic(sp.GetRequiredService<SnsClient>(), sp.GetRequiredService<ResourceNames>().ResultsTopicArn));
        services.AddSingleton(sp => new EventSources(sp.GetRequiredService<ResourceNames>()));
        services.AddSingleton(sp => new QueueVisibility(sp.GetRequiredService<IAmazonSQS>()));
        services.AddSingleton<ResultHandler>();
        services.AddSingleton<StartedHandler>();
        services.AddSingleton<DeadLetterHandler>();
        services.AddSingleton<SqsBatchProcessor>();

        if (configuration.GetValue<bool>($"{EventsOptions.SectionName}:{nameof(EventsOptions.LocalPoller)}"))
        {
            services.AddHostedService<LocalEventPoller>();
        }
        return services;
    }
}
