using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Aws.Sns;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Runtimes;
using SdServerless.Functions.Callbacks.Events;
using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.Functions.Callbacks.Sweep;
using SdServerless.Functions.Callbacks.Webhooks;
using SdServerless.Functions.Console;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Quotas;
using SdServerless.Functions.Tasks.Live;
using SdServerless.Functions.Retention;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tasks.Validation;
using SdServerless.Functions.Tasks.Views;
using SdServerless.Functions.Uploads;
using SdServerless.Functions.Usage;

namespace SdServerless.Functions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName);
        services.AddOptions<TasksOptions>().BindConfiguration(TasksOptions.SectionName);
        services.AddOptions<ResourceNames>()
            .Validate(r => r.TasksTopicArn.Length > 0 && r.OutputBucket.Length > 0 && r.TasksTable.Length > 0 && r.RuntimeNames.Count > 0,
                "Resources__TasksTopicArn, Resources__OutputBucket, Resources__TasksTable and Resources__Runtimes must be set (serverless.template sets them).")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ApiOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TasksOptions>>().Value);
        services.ConfigureHttpJsonOptions(json =>
        {
            // Numbers are JSON numbers, as the request bodies are read (docs/decisions/0307-strict-json-numbers.md); the
            // web default would read them from strings too and make the OpenAPI document say "integer | string".
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, FunctionsJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, SqsEventJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(2, SweepJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(3, WebhooksJsonContext.Default);
        });
        services.AddSingleton(TimeProvider.System);

        services.AddAwsServices(builder.Configuration);
        services.AddRuntimeCatalog(builder.Configuration);
        services.AddTaskServices();
        services.AddUploadServices();
        services.AddUsageServices();
        services.AddQuotaServices();
        services.AddRetentionServices();
        services.AddWebhookServices();
        services.AddEventServices(builder.Configuration);
        return builder;
    }

    /// <summary>Read at start-up, so a broken catalogue stops the app with its reason instead of failing requests.</summary>
    private static void AddRuntimeCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        // Narrowed to the runtimes this stack deploys; a deployed runtime the catalogue lacks stops the start too.
        var deployed = new ResourceNames { Runtimes = configuration[$"{ResourceNames.SectionName}:{nameof(ResourceNames.Runtimes)}"] ?? "" }.RuntimeNames;
        var catalog = RuntimeCatalog.Load(RuntimeCatalog.PathFrom(configuration[RuntimeCatalog.PathSetting])).Deployed(deployed);
        // So is a default runtime that is not deployed: every request without a runtime would fail on it.
        if (configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.DefaultRuntime)}"] is { Length: > 0 } defaultRuntime && catalog.Find(defaultRuntime) is null)
        {
            throw new RuntimeCatalogException($"Api:DefaultRuntime '{defaultRuntime}' is not a deployed runtime; deployed: {string.Join(", ", catalog.Names)}.");
        }
        services.AddSingleton(catalog);
    }

    private static void AddTaskServices(this IServiceCollection services)
    {
        services.AddSingleton(sp => new TaskListing(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton(sp => new IdempotencyRecords(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton(sp =>
        {
            var api = sp.GetRequiredService<ApiOptions>();
            var resources = sp.GetRequiredService<ResourceNames>();
            var tasks = sp.GetRequiredService<TasksOptions>();
            var urls = new OutboundUrlPolicy(allowLoopback: api.LocalDevMode);
            var inputBucket = string.IsNullOrWhiteSpace(api.InputBucket) ? resources.OutputBucket : api.InputBucket;
            return new SubmissionValidator(sp.GetRequiredService<RuntimeCatalog>(), DefaultRuntime(api, resources),
                new InitImageRules(inputBucket, tasks.InputPrefix.Trim('/'), urls), urls, tasks.OutputPrefix.Trim('/'), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ExpiresAfterRule>());
        });
        services.AddSingleton(sp =>
        {
            var resources = sp.GetRequiredService<ResourceNames>();
            var tasks = sp.GetRequiredService<TasksOptions>();
            return new ClaimChecks(sp.GetRequiredService<IAmazonS3>(), resources.OutputBucket, tasks.PayloadPrefix.Trim('/'));
        });
        services.AddSingleton(sp => new TaskPublisher(sp.GetRequiredService<SnsClient>(), sp.GetRequiredService<ClaimChecks>(),
            sp.GetRequiredService<ResourceNames>().TasksTopicArn, sp.GetRequiredService<TasksOptions>().ClaimCheckThresholdBytes,
            sp.GetRequiredService<ILogger<TaskPublisher>>()));
        services.AddSingleton(sp =>
        {
            var tasks = sp.GetRequiredService<TasksOptions>();
            return new TaskSubmitterSettings(sp.GetRequiredService<ResourceNames>().OutputBucket, TimeSpan.FromDays(tasks.RetentionDays), tasks.IdempotencyWindow)
            {
                PublishBudget = TimeSpan.FromSeconds(tasks.PublishBudgetSeconds),
            };
        });
        services.AddSingleton(sp => new UnpublishedTasks(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton<TaskSubmitter>();
        services.AddSingleton<StoredRequestReader>();
        services.AddLiveServices();
        services.AddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<AwsConnection>();
            var protocol = connection.S3Endpoint?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS;
            return new TaskViewFactory(sp.GetRequiredService<IAmazonS3>(), protocol, sp.GetRequiredService<ApiOptions>().PresignedUrlExpiry, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<UsageCalculator>());
        });
        services.AddSingleton(sp =>
        {
            var api = sp.GetRequiredService<ApiOptions>();
            var resources = sp.GetRequiredService<ResourceNames>();
            return new RuntimeQueueStats(sp.GetRequiredService<IAmazonSQS>(), sp.GetRequiredService<RuntimeCatalog>(), DefaultRuntime(api, resources), resources.RuntimeQueueNamePrefix);
        });
        services.AddSingleton(sp => new ConsoleAssets(typeof(Extensions).Assembly, sp.GetRequiredService<ILogger<ConsoleAssets>>()));
        services.AddSingleton<ConsoleSecurityPolicy>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<RequireApiKeyFilter>();
    }

    private static string DefaultRuntime(ApiOptions api, ResourceNames resources) =>
        string.IsNullOrWhiteSpace(api.DefaultRuntime) ? resources.RuntimeNames[0] : api.DefaultRuntime;
}
