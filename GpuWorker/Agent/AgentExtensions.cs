using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.ServiceDefaults.Net;

namespace SdServerless.GpuWorker.Agent;

public static class AgentExtensions
{
    /// <summary>
    /// The queue agent: AWS clients, the task pipeline around the generator, the consumer and readiness. The generator
    /// itself comes from the runtime type's folder (<c>Onnx/</c>, <c>A1111/</c>, <c>ComfyUi/</c>).
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
        services.AddSingleton<TaskFinisher>();
        services.AddSingleton<TaskStarter>();
        services.AddSingleton<TaskRun>();
        services.AddSingleton<PriorityReceiveRule>();
        services.AddSingleton<PriorityReceiver>();
        services.AddScoped<TaskMessageHandler>();

        services.AddSingleton(sp => new WorkerState(sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WorkerOptions>>().Value.FaultPauseSeconds)));
        services.AddHealthChecks().AddCheck<WorkerReadinessCheck>(WorkerReadinessCheck.Name, tags: [ServiceDefaults.Extensions.ReadyTag]);
        services.AddHostedService<QueueConsumer>();
        services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Worker:ShutdownBudgetSeconds", 90) + 20));
        return builder;
    }
}
