using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using SdServerless.TestSupport;

namespace SdServerless.Tools.Tests.LocalAws;

public class StorageTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    [Fact]
    public async Task S3ObjectRoundTripsAndPresignedGetServesIt()
    {
        using var s3 = fixture.Stack.Connection.CreateS3Client();
        var bucket = fixture.Stack.Resources["OutputBucket"].Ref;
        var key = $"outputs/{Guid.NewGuid():N}/image.png";
        byte[] content = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content), ContentType = "image/png" });
        using var got = await s3.GetObjectAsync(bucket, key);
        using var copy = new MemoryStream();
        await got.ResponseStream.CopyToAsync(copy);
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket, Key = key, Expires = DateTime.UtcNow.AddMinutes(5), Verb = HttpVerb.GET, Protocol = Protocol.HTTP,
        });
        using var http = new HttpClient();
        var downloaded = await http.GetByteArrayAsync(url);

        Assert.Equal(content, copy.ToArray());
        Assert.Equal("image/png", got.Headers.ContentType);
        Assert.Contains("X-Amz-Signature=", url);
        Assert.Equal(content, downloaded);
    }

    [Fact]
    public async Task ConditionalWriteWithAStaleConditionIsRejected()
    {
        using var dynamo = fixture.Stack.Connection.CreateDynamoDbClient();
        var table = fixture.Stack.Resources["TasksTable"].Ref;
        var id = Guid.NewGuid().ToString("N");
        await dynamo.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["pk"] = new(id), ["status"] = new("queued") });
        await dynamo.UpdateItemAsync(Transition(table, id, "queued", "running"));

        var stale = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => dynamo.UpdateItemAsync(Transition(table, id, "queued", "canceled")));

        var item = await dynamo.GetItemAsync(table, new Dictionary<string, AttributeValue> { ["pk"] = new(id) });
        Assert.Equal("running", item.Item["status"].S);
        Assert.NotNull(stale);
    }

    private static UpdateItemRequest Transition(string table, string id, string from, string to) => new()
    {
        TableName = table,
        Key = new Dictionary<string, AttributeValue> { ["pk"] = new(id) },
        UpdateExpression = "SET #s = :to",
        ConditionExpression = "#s = :from",
        ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = "status" },
        ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":from"] = new(from), [":to"] = new(to) },
    };
}
