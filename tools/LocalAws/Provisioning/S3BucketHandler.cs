using Amazon.S3;
using Amazon.S3.Model;

namespace SdServerless.LocalAws.Provisioning;

/// <summary>AWS::S3::Bucket: Ref is the bucket name. Encryption, public access blocks and lifecycle rules are AWS-side settings the emulators do not enforce.</summary>
public sealed class S3BucketHandler : IResourceHandler
{
    public string Type => "AWS::S3::Bucket";

    public LocalResource Identify(string logicalId, Dictionary<string, object?> properties, ProvisioningContext context)
    {
        var name = PropertyReader.String(properties, "BucketName", logicalId) ?? $"{context.Stack.StackName}-{logicalId}".ToLowerInvariant();
        return new LocalResource(logicalId, Type, name, new Dictionary<string, string>
        {
            ["Arn"] = $"arn:{context.Stack.Partition}:s3:::{name}",
            ["DomainName"] = $"{name}.s3.amazonaws.com",
            ["RegionalDomainName"] = $"{name}.s3.{context.Stack.Region}.amazonaws.com",
        }, Emulated: true);
    }

    public async Task<string> ProvisionAsync(LocalResource resource, Dictionary<string, object?> properties, ProvisioningContext context, CancellationToken cancellationToken)
    {
        var buckets = await context.S3.ListBucketsAsync(new ListBucketsRequest(), cancellationToken);
        if (buckets.Buckets?.Any(b => b.BucketName == resource.Ref) == true)
        {
            return "unchanged";
        }
        try
        {
            await context.S3.PutBucketAsync(new PutBucketRequest { BucketName = resource.Ref }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            return "unchanged";
        }
        return "created";
    }
}
