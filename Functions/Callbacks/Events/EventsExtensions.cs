using Amazon.DynamoDBv2;
using Amazon.SQS;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Aws.TaskStore;
using SdServerless.Functions.Callbacks.DeadLetters;
using SdServerless.Functions.Callbacks.Local;
using SdServerless.Functions.Callbacks.Results;
using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.Functions.Callbacks.Sweep;

namespace SdServerless.Functions.Callbacks.Events;

/// <summary>Wiring of <c>/events</c>: result, start, progress and dead-letter handling of SQS records, the sweep, and their local stand-ins.</summary>
public static class EventsExtensions
{
    public static IServiceCollection AddEventServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EventsOptions>>().Value);
        services.AddSingleton(sp => new EventSources(sp.GetRequiredService<ResourceNames>()));
        services.AddSingleton(sp => new QueueVisibility(sp.GetRequiredService<IAmazonSQS>()));
        services.AddSingleton<ResultHandler>();
        services.AddSingleton<StartedHandler>();
        services.AddSingleton<ProgressHandler>();
        services.AddSingleton<DeadLetterHandler>();
        services.AddSingleton<SqsBatchProcessor>();
        services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SweepOptions>>().Value);
        services.AddSingleton(sp => new ExpirableTasks(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton<ExpiredTaskSweep>();
        services.AddSingleton<QueuedTaskSweep>();

        if (configuration.GetValue<bool>($"{EventsOptions.SectionName}:{nameof(EventsOptions.LocalPoller)}"))
        {
            services.AddHostedService<LocalEventPoller>();
            services.AddHostedService<LocalSweepTimer>();
        }
        return services;
    }
}
