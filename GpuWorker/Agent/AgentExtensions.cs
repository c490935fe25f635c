using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Agent.A1111;
using SdServerless.GpuWorker.Agent.ComfyUi;
using SdServerless.GpuWorker.Agent.Generators;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.ServiceDefaults.Net;

namespace SdServerless.GpuWorker.Agent;

public static class AgentExtensions
{
    /// <summary>
    /// The queue agent: AWS clients, the task pipeline around the generator, the consumer, readiness, and the
    /// generator itself (the built-in ONNX engine, or an A1111 or ComfyUI runtime beside the agent, by the runtime's type).
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

        builder.AddTaskGenerator();

        services.AddSingleton(sp => new WorkerState(sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WorkerOptions>>().Value.FaultPauseSeconds)));
        services.AddHealthChecks().AddCheck<WorkerReadinessCheck>(WorkerReadinessCheck.Name, tags: [ServiceDefaults.Extensions.ReadyTag]);
        services.AddHostedService<QueueConsumer>();
        services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Worker:ShutdownBudgetSeconds", 90) + 20));
        return builder;
    }

    /// <summary>
    /// The generator for the runtime's type: <c>Worker:Backend</c> when set, else the type of <c>Worker:Runtime</c> in
    /// the runtime catalogue. An ONNX runtime whose catalogue entry promises what its model cannot do takes no task.
    /// </summary>
    private static void AddTaskGenerator(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var catalog = RuntimeCatalog.Load(RuntimeCatalog.PathFrom(builder.Configuration[RuntimeCatalog.PathSetting]));
        var runtime = builder.Configuration["Worker:Runtime"] ?? new WorkerOptions().Runtime;
        var backend = builder.Configuration["Worker:Backend"] is { Length: > 0 } configured ? configured.ToLowerInvariant() : catalog.Get(runtime).Type;
        switch (backend)
        {
            case RuntimeTypes.A1111:
                services.AddOptions<A1111Options>().BindConfiguration(A1111Options.SectionName);
                services.AddHttpClient<ITaskGenerator, A1111Generator>((sp, http) =>
                {
                    var settings = sp.GetRequiredService<IOptions<A1111Options>>().Value;
                    http.BaseAddress = new Uri(settings.BaseUrl);
                    http.Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds + 30);
                });
                break;
            case RuntimeTypes.ComfyUi:
                services.AddOptions<ComfyUiOptions>().BindConfiguration(ComfyUiOptions.SectionName);
                // No resilience handler: POST /prompt is not idempotent, and a retry would queue the workflow twice.
                services.AddHttpClient<ComfyUiRunner>((sp, http) =>
                {
                    var settings = sp.GetRequiredService<IOptions<ComfyUiOptions>>().Value;
                    http.BaseAddress = new Uri(settings.BaseUrl);
                    http.Timeout = Timeout.InfiniteTimeSpan;
                });
                services.AddSingleton<ITaskGenerator, ComfyUiTaskGenerator>();
                break;
            case RuntimeTypes.Onnx:
                if (catalog.Find(runtime) is { } entry)
                {
                    // Held to the model's facts once it is loaded (EngineTaskGenerator).
                    services.AddSingleton(entry);
                }
                if (!string.IsNullOrWhiteSpace(builder.Configuration["Diffusion:ModelPath"]))
                {
                    throw new InvalidOperationException("The worker's model is Worker:Model (a folder or s3:// prefix) or its runtime's model in the catalogue; Diffusion:ModelPath is for the engine alone.");
                }
                services.AddSingleton<IModelSource, ModelSync>();
                builder.AddDiffusionEngine();
                services.AddSingleton<ITaskGenerator, EngineTaskGenerator>();
                break;
            default:
                throw new RuntimeCatalogException($"Worker:Backend '{backend}' is not a runtime type; use one of {string.Join(", ", RuntimeTypes.All)}.");
        }
    }
}
