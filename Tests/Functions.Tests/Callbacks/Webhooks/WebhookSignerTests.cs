using System.Text;
using SdServerless.Functions.Callbacks.Webhooks;

namespace SdServerless.Functions.Tests.Callbacks.Webhooks;

public class WebhookSignerTests
{
    [Fact]
    public void SignatureMatchesTheStandardWebhooksExample()
    {
        // The example of the Standard Webhooks specification and its reference libraries' tests.
        var secret = WebhookSecret.TryParse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", out var problem);
        Assert.Null(problem);

        var signature = WebhookSigner.Sign([secret!.Key], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("""{"test": 2432232314}"""));

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void EveryKeySignsSeparatedBySpaces()
    {
        var signature = WebhookSigner.Sign([new byte[32], Enumerable.Repeat((byte)1, 32).ToArray()], "msg_1", 1, "{}"u8);

        var parts = signature.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.All(parts, p => Assert.StartsWith("v1,", p));
        Assert.NotEqual(parts[0], parts[1]);
    }

    [Theory]
    [InlineData("", "must start with 'whsec_'")]
    [InlineData("secret", "must start with 'whsec_'")]
    [InlineData("whsec_%%%", "followed by base64")]
    [InlineData("whsec_c2hvcnQ=", "24 to 64 bytes")]
    public void BadSecretsAreRefusedWithAReason(string text, string reason)
    {
        Assert.Null(WebhookSecret.TryParse(text, out var problem));
        Assert.Contains(reason, problem);
    }
}
