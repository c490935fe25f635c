using Amazon.DynamoDBv2;
using Amazon.S3;
using SdServerless.Aws;

namespace SdServerless.Functions.Retention;

public static class RetentionExtensions
{
    public static IServiceCollection AddRetentionServices(this IServiceCollection services) =>
        services.AddSingleton(sp => new OutputDeletion(sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<IAmazonDynamoDB>(),
            sp.GetRequiredService<ResourceNames>().TasksTable, sp.GetRequiredService<TimeProvider>()));
}
