using Amazon.S3.Model;
using SdServerless.Aws.Recording;

namespace SdServerless.Shared.Tests.Aws.Recording;

public class AwsCallDescriberTests
{
    [Fact]
    public void APutWithTagsIsAuthorizedAsAPutAndATagging()
    {
        var request = new PutObjectRequest { BucketName = "out-bucket", Key = "outputs/t/t-0.png", TagSet = [new Tag { Key = "retention", Value = "7d" }] };

        var actions = AwsCallDescriber.Describe(request, "us-east-1", "000000000000").Select(call => (call.Action, call.Resource));

        Assert.Equal([("s3:PutObject", "arn:aws:s3:::out-bucket/outputs/t/t-0.png"), ("s3:PutObjectTagging", "arn:aws:s3:::out-bucket/outputs/t/t-0.png")], actions);
    }

    [Fact]
    public void APutWithoutTagsIsAuthorizedAsAPutOnly()
    {
        var actions = AwsCallDescriber.Describe(new PutObjectRequest { BucketName = "out-bucket", Key = "k" }, "us-east-1", "000000000000").Select(call => call.Action);

        Assert.Equal(["s3:PutObject"], actions);
    }
}
