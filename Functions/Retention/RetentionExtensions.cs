using Amazon.DynamoDBv2;
using Amazon.S3;
using Microsoft.Extensions.Options;
using SdServerless.Functions.Tasks.Validation;
using SdServerless.Aws;

namespace SdServerless.Functions.Retention;

public static class RetentionExtensions
{
    public static IServiceCollection AddRetentionServices(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName);
        services.AddSingleton(sp => new ExpiresAfterRule(sp.GetRequiredService<IOptions<RetentionOptions>>().Value));
        return services.AddSingleton(sp => new OutputDeletion(sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<IAmazonDynamoDB>(),
            sp.GetRequiredService<ResourceNames>().TasksTable, sp.GetRequiredService<TimeProvider>()));
    }
}
