using Amazon.DynamoDBv2;
using SdServerless.Aws;
using SdServerless.Contracts.Runtimes;

namespace SdServerless.Functions.Usage;

public static class UsageExtensions
{
    public static IServiceCollection AddUsageServices(this IServiceCollection services)
    {
        services.AddSingleton(sp => new OwnerTaskRange(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton(sp => new UsageCalculator(sp.GetRequiredService<RuntimeCatalog>()));
        return services;
    }
}
