using Amazon.S3;
using Microsoft.Extensions.Options;
using SdServerless.Aws;
using SdServerless.Aws.Signing;
using SdServerless.Contracts.Runtimes;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Submission;

namespace SdServerless.Functions.Uploads;

public static class UploadsExtensions
{
    /// <summary>Uploads go to the input bucket (<c>Api:InputBucket</c>, else the output bucket), under the caller's prefix.</summary>
    public static IServiceCollection AddUploadServices(this IServiceCollection services)
    {
        services.AddOptions<UploadsOptions>().BindConfiguration(UploadsOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<UploadsOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<AwsConnection>();
            var api = sp.GetRequiredService<ApiOptions>();
            var resources = sp.GetRequiredService<ResourceNames>();
            var bucket = string.IsNullOrWhiteSpace(api.InputBucket) ? resources.OutputBucket : api.InputBucket;
            return new UploadStore(sp.GetRequiredService<IAmazonS3>(), new S3PutPresigner(connection.Region, connection.S3Endpoint), connection.Credentials,
                bucket, sp.GetRequiredService<TasksOptions>().InputPrefix.Trim('/'), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp =>
        {
            var api = sp.GetRequiredService<ApiOptions>();
            var resources = sp.GetRequiredService<ResourceNames>();
            var defaultRuntime = string.IsNullOrWhiteSpace(api.DefaultRuntime) ? resources.RuntimeNames[0] : api.DefaultRuntime;
            return new UploadReferences(sp.GetRequiredService<UploadStore>(), sp.GetRequiredService<RuntimeCatalog>(), defaultRuntime, sp.GetRequiredService<UploadsOptions>());
        });
        return services;
    }
}
