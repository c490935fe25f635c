using System.Text;
using Microsoft.AspNetCore.Http;
using SdServerless.Functions.Hosting;

namespace SdServerless.Functions.Tests.Hosting;

public class ApiKeyAuthenticatorTests
{
    private static HttpRequest Request(string? key = null, string? requestContext = null)
    {
        var context = new DefaultHttpContext();
        if (key is not null)
        {
            context.Request.Headers["x-api-key"] = key;
        }
        if (requestContext is not null)
        {
            context.Request.Headers[LambdaRequestContext.RequestContextHeader] = requestContext;
        }
        return context.Request;
    }

    [Fact]
    public void ConfiguredKeyIsIdentifiedByItsHashNotItself()
    {
        var authenticator = new ApiKeyAuthenticator(new ApiOptions { ApiKeys = ["secret-key-1", "secret-key-2"] });

        var owner = authenticator.Authenticate(Request("secret-key-2"));

        Assert.Equal(ApiKeyAuthenticator.OwnerOf(Encoding.UTF8.GetBytes("secret-key-2")), owner);
        Assert.DoesNotContain("secret", owner);
        Assert.NotEqual(owner, authenticator.Authenticate(Request("secret-key-1")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secret-key-3")]
    [InlineData("local-dev-key")]
    public void MissingOrUnknownKeysAreRefused(string? key) =>
        Assert.Null(new ApiKeyAuthenticator(new ApiOptions { ApiKeys = ["secret-key-1"] }).Authenticate(Request(key)));

    [Fact]
    public void LocalDevKeyWorksOnlyInLocalDevMode() =>
        Assert.Equal(ApiKeyAuthenticator.LocalDevOwner, new ApiKeyAuthenticator(new ApiOptions { LocalDevMode = true }).Authenticate(Request("local-dev-key")));

    [Fact]
    public void BehindApiGatewayTheCallerIsTheCheckedKeyId()
    {
        const string context = """{"requestId":"r-1","stage":"api","identity":{"apiKeyId":"k3y1d","sourceIp":"203.0.113.9"}}""";

        var trusted = new ApiKeyAuthenticator(new ApiOptions { TrustApiGatewayKeys = true }).Authenticate(Request("whatever", context));
        var untrusted = new ApiKeyAuthenticator(new ApiOptions()).Authenticate(Request("whatever", context));

        Assert.Equal("apigw-k3y1d", trusted);
        Assert.Null(untrusted);
    }

    [Fact]
    public void MalformedRequestContextIsIgnored()
    {
        var context = LambdaRequestContext.From(Request(requestContext: "{not json"));

        Assert.Null(context.ApiKeyId);
        Assert.Null(context.RequestId);
    }
}
