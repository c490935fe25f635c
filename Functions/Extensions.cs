using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Aws.Sns;
using SdServerless.Aws.Tasks;
using SdServerless.Functions.Apis;
using SdServerless.Functions.Auth;
using SdServerless.Functions.Console;
using SdServerless.Functions.Events.Sqs;
using SdServerless.Functions.Model;
using SdServerless.Functions.Options;
using SdServerless.Functions.Runtimes;
using SdServerless.Functions.Submission;
using SdServerless.Functions.Validation;
using SdServerless.Functions.Webhooks;

namespace SdServerless.Functions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName);
        services.AddOptions<TasksOptions>().BindConfiguration(TasksOptions.SectionName);
        services.AddOptions<ResourceNames>().BindConfiguration(ResourceNames.SectionName)
            .Validate(r => r.TasksTopicArn.Length > 0 && r.OutputBucket.Length > 0 && r.TasksTable.Length > 0 && r.RuntimeNames.Count > 0,
                "Resources__TasksTopicArn, Resources__OutputBucket, Resources__TasksTable and Resources__Runtimes must be set (serverless.template sets them).")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ApiOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TasksOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ResourceNames>>().Value);
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, FunctionsJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, SqsEventJsonContext.Default);
        });
        services.AddSingleton(TimeProvider.System);

        services.AddAwsClients(builder.Configuration);
        services.AddTaskServices();
        services.AddEventServices(builder.Configuration);
        return builder;
    }

    private static void AddAwsClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => AwsConnection.FromEnvironment(name => configuration[name]));
        services.AddSingleton(sp => sp.GetRequiredService<AwsConnection>().CreateDynamoDbClient());
        services.AddSingleton(sp => sp.GetRequiredService<AwsConnection>().CreateS3Client());
        services.AddSingleton(sp => sp.GetRequiredService<AwsConnection>().CreateSqsClient());
        // Its own HttpClient, not the factory's: SnsClient retries itself, and the standard resilience handler would retry again.
        services.AddSingleton(sp => sp.GetRequiredService<AwsConnection>().CreateSnsClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) }));
    }

    private static void AddTaskServices(this IServiceCollection services)
    {
        services.AddSingleton(sp => new TaskTable(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton(sp => new IdempotencyRecords(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton(sp =>
        {
            var api = sp.GetRequiredService<ApiOptions>();
            var resources = sp.GetRequiredService<ResourceNames>();
            var tasks = sp.GetRequiredService<TasksOptions>();
            var urls = new OutboundUrlPolicy(allowLoopback: api.LocalDevMode);
            var inputBucket = string.IsNullOrWhiteSpace(api.InputBucket) ? resources.OutputBucket : api.InputBucket;
            return new SubmissionValidator(resources.RuntimeNames, DefaultRuntime(api, resources), new SamplerCatalog(api.EffectiveSamplers),
                new InitImageRules(inputBucket, urls), urls, tasks.OutputPrefix.Trim('/'));
        });
        services.AddSingleton(sp =>
        {
            var resources = sp.GetRequiredService<ResourceNames>();
            var tasks = sp.GetRequiredService<TasksOptions>();
            return new TaskPublisher(sp.GetRequiredService<SnsClient>(), sp.GetRequiredService<IAmazonS3>(), resources.TasksTopicArn,
                resources.OutputBucket, tasks.PayloadPrefix.Trim('/'), tasks.ClaimCheckThresholdBytes, sp.GetRequiredService<ILogger<TaskPublisher>>());
        });
        services.AddSingleton(sp =>
        {
            var tasks = sp.GetRequiredService<TasksOptions>();
            return new TaskSubmitterSettings(sp.GetRequiredService<ResourceNames>().OutputBucket, TimeSpan.FromDays(tasks.RetentionDays), tasks.IdempotencyWindow);
        });
        services.AddSingleton<TaskSubmitter>();
        services.AddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<AwsConnection>();
            var protocol = connection.S3Endpoint?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS;
            return new TaskViewFactory(sp.GetRequiredService<IAmazonS3>(), protocol, sp.GetRequiredService<ApiOptions>().PresignedUrlExpiry, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp =>
        {
            var api = sp.GetRequiredService<ApiOptions>();
            var resources = sp.GetRequiredService<ResourceNames>();
            return new RuntimeQueueStats(sp.GetRequiredService<IAmazonSQS>(), resources.RuntimeNames, DefaultRuntime(api, resources), resources.RuntimeQueueNamePrefix);
        });
        services.AddSingleton(sp => new ConsoleAssets(typeof(Extensions).Assembly, sp.GetRequiredService<ILogger<ConsoleAssets>>()));
        services.AddSingleton<ConsoleSecurityPolicy>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<RequireApiKeyFilter>();
    }

    private static string DefaultRuntime(ApiOptions api, ResourceNames resources) =>
        string.IsNullOrWhiteSpace(api.DefaultRuntime) ? resources.RuntimeNames[0] : api.DefaultRuntime;
}
