using Amazon.DynamoDBv2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SdServerless.Aws.Sns;
using SdServerless.Aws.TaskCompletion;
using SdServerless.Aws.TaskStore;

namespace SdServerless.Aws;

public static class AwsServicesExtensions
{
    /// <summary>
    /// What every deployable needs to reach the stack: the connection (endpoints and region from the AWS SDK's own
    /// variables), one long-lived client per service, the resource names (section <c>Resources</c>), the task table,
    /// the results topic, the results-published marks and the task completion built on them. The SNS client gets its own HttpClient: it retries by itself, and the
    /// standard resilience handler would retry again.
    /// </summary>
    public static IServiceCollection AddAwsServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ResourceNames>().BindConfiguration(ResourceNames.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ResourceNames>>().Value);
        services.AddSingleton(_ => AwsConnection.FromEnvironment(name => configuration[name]));
        services.AddSingleton(sp => sp.GetRequiredService<AwsConnection>().CreateDynamoDbClient());
        services.AddSingleton(sp => sp.GetRequiredService<AwsConnection>().CreateS3Client());
        services.AddSingleton(sp => sp.GetRequiredService<AwsConnection>().CreateSqsClient());
        services.AddSingleton(sp => sp.GetRequiredService<AwsConnection>().CreateSnsClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) }));
        services.AddSingleton(sp => new TaskTable(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton(sp => new ResultPublications(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton(sp => new ResultTopic(sp.GetRequiredService<SnsClient>(), sp.GetRequiredService<ResourceNames>().ResultsTopicArn));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TaskCompleter>();
        return services;
    }
}
