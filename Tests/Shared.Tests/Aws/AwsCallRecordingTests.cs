using Amazon.DynamoDBv2.Model;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using SdServerless.Aws.Recording;
using SdServerless.Aws.Sns;
using SdServerless.TestSupport;

namespace SdServerless.Shared.Tests.Aws;

/// <summary>Clients of a connection with a call log record each call as IAM authorizes it; other clients in the process record nothing.</summary>
public class AwsCallRecordingTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    [Fact]
    public async Task EachServiceCallIsRecordedWithItsActionAndResourceArn()
    {
        var path = Path.Combine(Path.GetTempPath(), $"calls-{Guid.NewGuid():N}.jsonl");
        try
        {
            var connection = fixture.Stack.Connection with { CallLog = new AwsCallLog(path, "tester", "us-east-1", "000000000000") };
            var bucket = fixture.Stack.Resources["OutputBucket"].Ref;
            var queue = fixture.Stack.Resources["ResultsQueue"].Ref;
            var table = fixture.Stack.Resources["TasksTable"].Ref;
            var topic = fixture.Stack.Resources["ResultsTopic"].Ref;
            using var s3 = connection.CreateS3Client();
            using var sqs = connection.CreateSqsClient();
            using var dynamoDb = connection.CreateDynamoDbClient();
            using var http = new HttpClient();
            using var unrecorded = fixture.Stack.Connection.CreateS3Client();

            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "outputs/recorded.txt", ContentBody = "x" });
            await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "models/sd/" });
            await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queue, WaitTimeSeconds = 0 });
            await dynamoDb.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = new AttributeValue { S = "none" } } });
            using (AwsCallLog.As("other-flow"))
            {
                await connection.CreateSnsClient(http).PublishAsync(new SnsPublishRequest(topic, "{}", new Dictionary<string, SnsMessageAttribute>()));
            }
            await unrecorded.GetObjectMetadataAsync(bucket, "outputs/recorded.txt");

            var calls = AwsCallLog.Read(path).Select(c => c.ToString()).ToList();
            Assert.Equal(
            [
                $"tester: s3:PutObject on arn:aws:s3:::{bucket}/outputs/recorded.txt",
                $"tester: s3:ListBucket on arn:aws:s3:::{bucket} (s3:prefix=models/sd/)",
                $"tester: sqs:ReceiveMessage on arn:aws:sqs:us-east-1:000000000000:{queue[(queue.LastIndexOf('/') + 1)..]}",
                $"tester: dynamodb:GetItem on arn:aws:dynamodb:us-east-1:000000000000:table/{table}",
                $"other-flow: sns:Publish on {topic}",
            ], calls);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AnObjectReadAnswered404AlsoRecordsTheListBucketThatAwsNeedsToAnswer404()
    {
        var path = Path.Combine(Path.GetTempPath(), $"calls-{Guid.NewGuid():N}.jsonl");
        try
        {
            var connection = fixture.Stack.Connection with { CallLog = new AwsCallLog(path, "tester", "us-east-1", "000000000000") };
            var bucket = fixture.Stack.Resources["OutputBucket"].Ref;
            using var s3 = connection.CreateS3Client();
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "payloads/present.json", ContentBody = "{}" });

            using (await s3.GetObjectAsync(bucket, "payloads/present.json"))
            {
            }
            var missing = await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "payloads/missing.json"));

            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal(
            [
                $"tester: s3:PutObject on arn:aws:s3:::{bucket}/payloads/present.json",
                $"tester: s3:GetObject on arn:aws:s3:::{bucket}/payloads/present.json",
                $"tester: s3:GetObject on arn:aws:s3:::{bucket}/payloads/missing.json",
                $"tester: s3:ListBucket on arn:aws:s3:::{bucket}",
            ], AwsCallLog.Read(path).Select(c => c.ToString()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
