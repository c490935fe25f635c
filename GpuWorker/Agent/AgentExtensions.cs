using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Aws.Tasks;
using SdServerless.GpuWorker.Agent.A1111;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults.Net;

namespace SdServerless.GpuWorker.Agent;

public static class AgentExtensions
{
    /// <summary>
    /// The queue agent: AWS clients, the task pipeline around the generator, the consumer, readiness, and the
    /// generator itself (the built-in ONNX engine, or an A1111 runtime with <c>Worker:Backend=a1111</c>).
    /// </summary>
    public static IHostApplicationBuilder AddQueueAgent(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddAwsServices(builder.Configuration);

        services.AddHttpClient(InitImageFetcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new OutboundAddressPolicy(sp.GetRequiredService<IOptions<WorkerOptions>>().Value.LocalDevMode).CreateHandler());
        services.AddSingleton<TaskMessageReader>();
        services.AddSingleton<InitImageFetcher>();
        services.AddSingleton<OutputWriter>();
        services.AddSingleton(sp => new ResultTopic(sp.GetRequiredService<SdServerless.Aws.Sns.SnsClient>(), sp.GetRequiredService<ResourceNames>().ResultsTopicArn));
        services.AddScoped<TaskMessageHandler>();

        if (string.Equals(builder.Configuration["Worker:Backend"], "a1111", StringComparison.OrdinalIgnoreCase))
        {
            services.AddOptions<A1111Options>().BindConfiguration(A1111Options.SectionName);
            services.AddHttpClient<IImageGenerator, A1111Generator>((sp, http) =>
            {
                var settings = sp.GetRequiredService<IOptions<A1111Options>>().Value;
                http.BaseAddress = new Uri(settings.BaseUrl);
                http.Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds + 30);
            });
        }
        else
        {
            // Registered before the engine's loader, so an s3:// model is synced before the engine reads its folder.
            services.AddHostedService<ModelSync>();
            builder.AddDiffusionEngine();
        }

        services.AddSingleton(sp => new WorkerState(sp.GetRequiredService<TimeProvider>())
        {
            FaultPause = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WorkerOptions>>().Value.FaultPauseSeconds),
        });
        services.AddHealthChecks().AddCheck<WorkerReadinessCheck>(WorkerReadinessCheck.Name, tags: [ServiceDefaults.Extensions.ReadyTag]);
        services.AddHostedService<QueueConsumer>();
        services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Worker:ShutdownBudgetSeconds", 90) + 20));
        return builder;
    }
}
