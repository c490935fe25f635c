using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using SdServerless.Aws.Signing;
using SdServerless.Contracts.Inputs;

namespace SdServerless.Functions.Uploads;

/// <summary>
/// Uploads in the input bucket, under the caller's own prefix (<see cref="OwnerInputPrefix.UploadKey"/>): presigned PUT
/// URLs for new ones, and a HEAD to find one by id. An id is looked up only under the caller's prefix, so another
/// key's upload is as absent as one that never was.
/// </summary>
public sealed class UploadStore(IAmazonS3 s3, S3PutPresigner presigner, AWSCredentials credentials, string bucket, string inputRoot, TimeProvider time)
{
    public async Task<(string Id, Uri Url, DateTimeOffset ExpiresAt)> PresignAsync(string owner, string contentType, long size, TimeSpan expiry)
    {
        var id = UploadIds.New();
        var now = time.GetUtcNow();
        var identity = await credentials.GetCredentialsAsync();
        var signing = new SigningCredentials(identity.AccessKey, identity.SecretKey, identity.UseToken ? identity.Token : null);
        var url = presigner.Presign(bucket, OwnerInputPrefix.UploadKey(owner, id, inputRoot), contentType, size, expiry, signing, now);
        return (id, url, now + expiry);
    }

    /// <summary>The upload <paramref name="id"/> of <paramref name="owner"/>, or null when it is not there (never uploaded, expired, or another key's).</summary>
    public async Task<UploadedObject?> FindAsync(string owner, string id, CancellationToken cancellationToken)
    {
        if (!UploadIds.IsValid(id))
        {
            return null;
        }
        var key = OwnerInputPrefix.UploadKey(owner, id, inputRoot);
        try
        {
            var head = await s3.GetObjectMetadataAsync(bucket, key, cancellationToken);
            return new UploadedObject($"s3://{bucket}/{key}", head.ContentLength, head.Headers.ContentType ?? "");
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }
    }
}
