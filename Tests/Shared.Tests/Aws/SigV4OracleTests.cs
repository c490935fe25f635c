using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using SdServerless.Aws.Signing;

namespace SdServerless.Shared.Tests.Aws;

/// <summary>Our signer against AWSSDK.Core's own SigV4 implementation, used as an oracle on SNS-shaped requests.</summary>
public class SigV4OracleTests
{
    [Theory]
    [InlineData("https://sns.us-east-1.amazonaws.com/", "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Atasks&Message=%7B%22id%22%3A1%7D", null)]
    [InlineData("http://127.0.0.1:4566/", "Action=CreateTopic&Version=2010-03-31&Name=a%20b", "session-token/with+chars=")]
    [InlineData("https://sns.eu-west-1.amazonaws.com/", "", null)]
    public void SignatureMatchesTheAwsSdkSigner(string url, string form, string? sessionToken)
    {
        var body = Encoding.UTF8.GetBytes(form);
        var signedAt = new DateTimeOffset(2026, 11, 25, 12, 34, 56, TimeSpan.Zero);
        var region = new Uri(url).Host.Split('.') is [_, var r, ..] && r.Contains('-') ? r : "us-east-1";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        request.Headers.TryAddWithoutValidation("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");

        new SigV4Signer("sns", region).Sign(request, body, new SigningCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken), signedAt, addContentSha256Header: true);

        var sdkRequest = new DefaultRequest(new OracleRequest(), "SNS")
        {
            Endpoint = new Uri(url),
            ResourcePath = "/",
            HttpMethod = "POST",
            Content = body,
            AuthenticationRegion = region,
        };
        sdkRequest.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
        if (sessionToken is not null)
        {
            sdkRequest.Headers["X-Amz-Security-Token"] = sessionToken;
        }
        var config = new Amazon.SQS.AmazonSQSConfig { ServiceURL = url, AuthenticationRegion = region, AuthenticationServiceName = "sns" };
        var oracle = new AWS4Signer().SignRequest(sdkRequest, config, null, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", signedAt.UtcDateTime);

        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.Equal(oracle.ForAuthorizationHeader, authorization);
    }
}

/// <summary>An empty SDK request to hang the oracle's headers and body on.</summary>
internal sealed class OracleRequest : AmazonWebServiceRequest;
