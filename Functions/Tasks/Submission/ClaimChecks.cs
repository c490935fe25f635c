using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Serialization;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>Task messages kept whole in S3 (<c>s3://{bucket}/{prefix}/{id}.json</c>), written at publish and read back by a retry.</summary>
public sealed class ClaimChecks(IAmazonS3 s3, string bucket, string prefix)
{
    public string UriOf(string taskId) => $"s3://{bucket}/{KeyOf(taskId)}";

    public string KeyOf(string taskId) => $"{prefix}/{taskId}.json";

    public async Task PutAsync(string taskId, string body, CancellationToken cancellationToken) =>
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = KeyOf(taskId),
            ContentBody = body,
            ContentType = "application/json",
        }, cancellationToken);

    /// <summary>The task's whole message, or null when its claim check is gone (the bucket's lifecycle rule expires it).</summary>
    public async Task<GenerateImageRequested?> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        try
        {
            using var stored = await s3.GetObjectAsync(bucket, KeyOf(taskId), cancellationToken);
            var message = await JsonSerializer.DeserializeAsync(stored.ResponseStream, ContractsJsonContext.Default.GenerateImageRequested, cancellationToken);
            return message?.Id == taskId ? message : null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
