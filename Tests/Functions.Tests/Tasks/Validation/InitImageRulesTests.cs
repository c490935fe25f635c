using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tests.Tasks.Validation;

public class InitImageRulesTests
{
    private const string Owner = "key-owner-a";
    private readonly InitImageRules _rules = new("inputs-bucket", "inputs", new OutboundUrlPolicy(allowLoopback: false));

    [Theory]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("iVBORw0KGgo=")]
    [InlineData("s3://inputs-bucket/inputs/d2be14ea42112efa58933d37c076d36d/cat.png")]
    [InlineData("https://images.example.com/cat.png")]
    public void AcceptedForms(string image) => Assert.Null(_rules.Check(image, Owner));

    [Theory]
    [InlineData("data:text/plain;base64,aGVsbG8=", "data:image")]
    [InlineData("data:image/png;base64,not base64!", "base64")]
    [InlineData("data:image/png,raw", "data:image")]
    [InlineData("s3://other-bucket/cat.png", "input bucket")]
    [InlineData("s3://inputs-bucket/", "s3://<bucket>/<key>")]
    [InlineData("s3://inputs-bucket/a/../b.png", "'..'")]
    [InlineData("s3://inputs-bucket/images/cat.png", "'inputs/d2be14ea42112efa58933d37c076d36d/'")]
    [InlineData("s3://inputs-bucket/inputs/0fce986c643d3d6f1dd4dd6264c74701/cat.png", "'inputs/d2be14ea42112efa58933d37c076d36d/'")]
    [InlineData("s3://inputs-bucket/outputs/01abc/01abc-0.png", "'inputs/d2be14ea42112efa58933d37c076d36d/'")]
    [InlineData("s3://inputs-bucket/inputs/d2be14ea42112efa58933d37c076d36d0/cat.png", "'inputs/d2be14ea42112efa58933d37c076d36d/'")]
    [InlineData("http://images.example.com/cat.png", "https")]
    [InlineData("https://169.254.169.254/latest", "non-public")]
    [InlineData("file:///etc/passwd", "scheme")]
    [InlineData("%%%", "neither")]
    [InlineData(" ", "empty")]
    public void RefusedForms(string image, string reason)
    {
        var problem = _rules.Check(image, Owner);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }
}
