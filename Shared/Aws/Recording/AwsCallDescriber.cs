using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3.Model;
using Amazon.SQS.Model;

namespace SdServerless.Aws.Recording;

/// <summary>
/// What IAM authorizes for an SDK request: the action (batch calls are authorized as their single form, a copy as a read
/// and a write) and the resource ARN, as AWS builds them. A request this does not know is described as
/// <c>service:Name</c> on <c>*</c>, which no least-privilege role allows, so a new kind of call is noticed.
/// </summary>
public static class AwsCallDescriber
{
    public static IEnumerable<(string Action, string Resource, IReadOnlyDictionary<string, string>? Context)> Describe(
        AmazonWebServiceRequest request, string region, string account) => request switch
    {
        // S3: objects are arn:aws:s3:::bucket/key, the bucket itself arn:aws:s3:::bucket.
        GetObjectRequest r => [("s3:GetObject", S3Object(r.BucketName, r.Key), null)],
        GetObjectMetadataRequest r => [("s3:GetObject", S3Object(r.BucketName, r.Key), null)],
        // Tags sent with the object (x-amz-tagging) are authorized as s3:PutObjectTagging too.
        PutObjectRequest { TagSet.Count: > 0 } r => [("s3:PutObject", S3Object(r.BucketName, r.Key), null), ("s3:PutObjectTagging", S3Object(r.BucketName, r.Key), null)],
        PutObjectRequest r => [("s3:PutObject", S3Object(r.BucketName, r.Key), null)],
        InitiateMultipartUploadRequest r => [("s3:PutObject", S3Object(r.BucketName, r.Key), null)],
        UploadPartRequest r => [("s3:PutObject", S3Object(r.BucketName, r.Key), null)],
        CompleteMultipartUploadRequest r => [("s3:PutObject", S3Object(r.BucketName, r.Key), null)],
        AbortMultipartUploadRequest r => [("s3:AbortMultipartUpload", S3Object(r.BucketName, r.Key), null)],
        DeleteObjectRequest r => [("s3:DeleteObject", S3Object(r.BucketName, r.Key), null)],
        CopyObjectRequest r => [("s3:GetObject", S3Object(r.SourceBucket, r.SourceKey), null), ("s3:PutObject", S3Object(r.DestinationBucket, r.DestinationKey), null)],
        ListObjectsV2Request r => [("s3:ListBucket", $"arn:aws:s3:::{r.BucketName}", new Dictionary<string, string> { ["s3:prefix"] = r.Prefix ?? "" })],
        ListObjectsRequest r => [("s3:ListBucket", $"arn:aws:s3:::{r.BucketName}", new Dictionary<string, string> { ["s3:prefix"] = r.Prefix ?? "" })],

        // SQS: queues are arn:aws:sqs:region:account:name; the URL holds the account and the name.
        ReceiveMessageRequest r => [("sqs:ReceiveMessage", Queue(r.QueueUrl, region), null)],
        DeleteMessageRequest r => [("sqs:DeleteMessage", Queue(r.QueueUrl, region), null)],
        DeleteMessageBatchRequest r => [("sqs:DeleteMessage", Queue(r.QueueUrl, region), null)],
        ChangeMessageVisibilityRequest r => [("sqs:ChangeMessageVisibility", Queue(r.QueueUrl, region), null)],
        ChangeMessageVisibilityBatchRequest r => [("sqs:ChangeMessageVisibility", Queue(r.QueueUrl, region), null)],
        SendMessageRequest r => [("sqs:SendMessage", Queue(r.QueueUrl, region), null)],
        SendMessageBatchRequest r => [("sqs:SendMessage", Queue(r.QueueUrl, region), null)],
        GetQueueAttributesRequest r => [("sqs:GetQueueAttributes", Queue(r.QueueUrl, region), null)],
        GetQueueUrlRequest r => [("sqs:GetQueueUrl", $"arn:aws:sqs:{region}:{r.QueueOwnerAWSAccountId ?? account}:{r.QueueName}", null)],

        // DynamoDB: tables are arn:aws:dynamodb:region:account:table/name, indexes .../index/name.
        GetItemRequest r => [("dynamodb:GetItem", Table(r.TableName, region, account), null)],
        PutItemRequest r => [("dynamodb:PutItem", Table(r.TableName, region, account), null)],
        UpdateItemRequest r => [("dynamodb:UpdateItem", Table(r.TableName, region, account), null)],
        DeleteItemRequest r => [("dynamodb:DeleteItem", Table(r.TableName, region, account), null)],
        QueryRequest r => [("dynamodb:Query", Table(r.TableName, region, account) + (r.IndexName is { Length: > 0 } index ? $"/index/{index}" : ""), null)],
        ScanRequest r => [("dynamodb:Scan", Table(r.TableName, region, account) + (r.IndexName is { Length: > 0 } index ? $"/index/{index}" : ""), null)],
        BatchGetItemRequest r => r.RequestItems.Keys.Select(t => ("dynamodb:BatchGetItem", Table(t, region, account), (IReadOnlyDictionary<string, string>?)null)),
        BatchWriteItemRequest r => r.RequestItems.Keys.Select(t => ("dynamodb:BatchWriteItem", Table(t, region, account), (IReadOnlyDictionary<string, string>?)null)),
        TransactWriteItemsRequest r => r.TransactItems.Select(item => item switch
        {
            { Put: { } put } => ("dynamodb:PutItem", Table(put.TableName, region, account), (IReadOnlyDictionary<string, string>?)null),
            { Update: { } update } => ("dynamodb:UpdateItem", Table(update.TableName, region, account), null),
            { Delete: { } delete } => ("dynamodb:DeleteItem", Table(delete.TableName, region, account), null),
            { ConditionCheck: { } check } => ("dynamodb:ConditionCheckItem", Table(check.TableName, region, account), null),
            _ => ("dynamodb:TransactWriteItems", "*", null),
        }),
        TransactGetItemsRequest r => r.TransactItems.Select(item => ("dynamodb:GetItem", Table(item.Get.TableName, region, account), (IReadOnlyDictionary<string, string>?)null)),
        DescribeTableRequest r => [("dynamodb:DescribeTable", Table(r.TableName, region, account), null)],

        _ => [(Unknown(request), "*", null)],
    };

    /// <summary>
    /// What a request answered 404 needed besides itself: S3 tells a missing object (404) from a forbidden one (403) only
    /// to a caller allowed <c>s3:ListBucket</c> on the bucket, whatever the key (no <c>s3:prefix</c> in that check), so
    /// code that reads "no such object" as an answer needs that permission.
    /// </summary>
    public static (string Action, string Resource)? DescribeNotFound(AmazonWebServiceRequest request) => request switch
    {
        GetObjectRequest r => ("s3:ListBucket", $"arn:aws:s3:::{r.BucketName}"),
        GetObjectMetadataRequest r => ("s3:ListBucket", $"arn:aws:s3:::{r.BucketName}"),
        _ => null,
    };

    private static string S3Object(string bucket, string key) => $"arn:aws:s3:::{bucket}/{key}";

    private static string Table(string name, string region, string account) => $"arn:aws:dynamodb:{region}:{account}:table/{name}";

    /// <summary><c>https://host/123456789012/name</c> (or an emulator's <c>http://127.0.0.1:port/000000000000/name</c>).</summary>
    private static string Queue(string url, string region)
    {
        var segments = new Uri(url).AbsolutePath.Trim('/').Split('/');
        return segments.Length >= 2
            ? $"arn:aws:sqs:{region}:{segments[^2]}:{segments[^1]}"
            : throw new ArgumentException($"'{url}' is not a queue URL.", nameof(url));
    }

    private static string Unknown(AmazonWebServiceRequest request)
    {
        var type = request.GetType();
        var service = type.Namespace switch
        {
            "Amazon.S3.Model" => "s3",
            "Amazon.SQS.Model" => "sqs",
            "Amazon.DynamoDBv2.Model" => "dynamodb",
            var other => other ?? "unknown",
        };
        var name = type.Name.EndsWith("Request", StringComparison.Ordinal) ? type.Name[..^"Request".Length] : type.Name;
        return $"{service}:{name}";
    }
}
