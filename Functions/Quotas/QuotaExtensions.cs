using Amazon.DynamoDBv2;
using Microsoft.Extensions.Options;
using SdServerless.Aws;

namespace SdServerless.Functions.Quotas;

public static class QuotaExtensions
{
    public static IServiceCollection AddQuotaServices(this IServiceCollection services)
    {
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<QuotaOptions>>().Value);
        services.AddSingleton(sp => new QuotaCounters(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable));
        services.AddSingleton(sp => new StaleSlots(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<ResourceNames>().TasksTable,
            sp.GetRequiredService<QuotaCounters>(), sp.GetRequiredService<QuotaOptions>()));
        services.AddSingleton<QuotaGate>();
        return services;
    }
}
