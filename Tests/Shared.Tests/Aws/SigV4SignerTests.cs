using System.Text;
using SdServerless.Aws.Signing;

namespace SdServerless.Shared.Tests.Aws;

/// <summary>Checked against the worked examples in AWS's Signature Version 4 documentation.</summary>
public class SigV4SignerTests
{
    private const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void SigningKeyMatchesTheDocumentedDerivation()
    {
        var key = SigV4Signer.DeriveSigningKey(ExampleSecret, "20120215", "us-east-1", "iam");

        Assert.Equal("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", Convert.ToHexStringLower(key));
    }

    [Fact]
    public void ListUsersExampleGetsTheDocumentedSignature()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08");
        request.Content = new ByteArrayContent([]);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");

        new SigV4Signer("iam", "us-east-1").Sign(request, [], new SigningCredentials("AKIDEXAMPLE", ExampleSecret),
            new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));

        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, " +
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            authorization);
    }

    [Fact]
    public void CanonicalRequestSortsHeadersAndQueryAndHashesThePayload()
    {
        var (canonical, signed) = SigV4Signer.CanonicalRequest("POST", new Uri("https://sns.us-east-1.amazonaws.com/?b=2&a=1"),
            [new("X-Amz-Date", "20150830T123600Z"), new("host", "sns.us-east-1.amazonaws.com"), new("Content-Type", "a   b")],
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("Action=Publish"))));

        Assert.Equal("content-type;host;x-amz-date", signed);
        Assert.StartsWith("POST\n/\na=1&b=2\ncontent-type:a b\nhost:sns.us-east-1.amazonaws.com\nx-amz-date:20150830T123600Z\n\n", canonical);
    }

    [Fact]
    public void APlusInAQueryValueIsSignedAsAPlusAndAnEncodedSpaceAsASpace()
    {
        var (canonical, _) = SigV4Signer.CanonicalRequest("GET", new Uri("https://s3.us-east-1.amazonaws.com/b?prefix=a+b&x=c%20d"),
            [new("host", "s3.us-east-1.amazonaws.com")], "UNSIGNED-PAYLOAD");

        Assert.StartsWith("GET\n/b\nprefix=a%2Bb&x=c%20d\n", canonical);
    }

    [Fact]
    public void SessionTokenIsSentAndSigned()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://sns.us-east-1.amazonaws.com/");
        var body = "Action=Publish"u8.ToArray();

        new SigV4Signer("sns", "us-east-1").Sign(request, body, new SigningCredentials("AKID", "secret", "token-1"), DateTimeOffset.UnixEpoch);

        Assert.Equal("token-1", request.Headers.GetValues("x-amz-security-token").Single());
        Assert.Contains("x-amz-security-token", request.Headers.GetValues("Authorization").Single());
    }
}
