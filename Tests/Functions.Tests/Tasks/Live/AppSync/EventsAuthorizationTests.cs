using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SdServerless.Aws.Signing;
using SdServerless.Functions.Tasks.Live.AppSync;

namespace SdServerless.Functions.Tests.Tasks.Live.AppSync;

public class EventsAuthorizationTests
{
    private static readonly Uri Endpoint = new("https://example1234567890000.appsync-api.us-east-1.amazonaws.com");
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    [Fact]
    public void HeadersAreThoseAppSyncClientsSignForAPostToEvent()
    {
        var headers = EventsAuthorization.Sign(Endpoint, "{}", new SigningCredentials("AKIDEXAMPLE", "secret", "token+with/slashes="), "us-east-1", Now);

        Assert.Equal(
            ["accept", "content-encoding", "content-type", "host", "x-amz-date", "x-amz-security-token", "authorization"],
            headers.Select(h => h.Key));
        Assert.Equal("example1234567890000.appsync-api.us-east-1.amazonaws.com", Value(headers, "host"));
        Assert.Equal("20250314T092653Z", Value(headers, "x-amz-date"));
        Assert.StartsWith(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250314/us-east-1/appsync/aws4_request, SignedHeaders=accept;content-encoding;content-type;host;x-amz-date;x-amz-security-token, Signature=",
            Value(headers, "authorization"));
    }

    [Fact]
    public void SignatureCoversTheBodyAndTheSignedHeaders()
    {
        const string body = """{"channel":"/tasks/t1"}""";
        var headers = EventsAuthorization.Sign(Endpoint, body, new SigningCredentials("AKIDEXAMPLE", "secret"), "us-east-1", Now);

        var canonical = string.Join('\n',
            "POST", "/event", "",
            "accept:application/json, text/javascript",
            "content-encoding:amz-1.0",
            "content-type:application/json; charset=UTF-8",
            "host:example1234567890000.appsync-api.us-east-1.amazonaws.com",
            "x-amz-date:20250314T092653Z",
            "",
            "accept;content-encoding;content-type;host;x-amz-date",
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
        var stringToSign = $"AWS4-HMAC-SHA256\n20250314T092653Z\n20250314/us-east-1/appsync/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = SigV4Signer.DeriveSigningKey("secret", "20250314", "us-east-1", "appsync");
        Assert.EndsWith("Signature=" + Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign))), Value(headers, "authorization"));

        var other = EventsAuthorization.Sign(Endpoint, """{"channel":"/tasks/t2"}""", new SigningCredentials("AKIDEXAMPLE", "secret"), "us-east-1", Now);
        Assert.NotEqual(Value(headers, "authorization"), Value(other, "authorization"));
    }

    [Fact]
    public void HeaderSubprotocolIsTheHeadersJsonInBase64UrlWithoutPadding()
    {
        var headers = EventsAuthorization.Sign(Endpoint, "{}", new SigningCredentials("AKIDEXAMPLE", "secret", "token+with/slashes="), "us-east-1", Now);

        var protocol = EventsAuthorization.HeaderSubprotocol(headers);

        Assert.StartsWith("header-", protocol);
        var encoded = protocol["header-".Length..];
        Assert.DoesNotContain('=', encoded);
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
        var padded = encoded.Replace('-', '+').Replace('_', '/') + new string('=', (4 - encoded.Length % 4) % 4);
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
        // Values are written as they are: a session token's '+' is not escaped.
        Assert.Contains("\"x-amz-security-token\":\"token+with/slashes=\"", json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(headers.Select(h => (h.Key, h.Value)), document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)));
    }

    [Fact]
    public void EventUriIsTheHttpEndpointsEventPath()
    {
        Assert.Equal("https://example1234567890000.appsync-api.us-east-1.amazonaws.com/event", EventsAuthorization.EventUri(Endpoint).ToString());
        Assert.Equal("http://127.0.0.1:4568/event", EventsAuthorization.EventUri(new Uri("http://127.0.0.1:4568/")).ToString());
    }

    private static string Value(IReadOnlyList<KeyValuePair<string, string>> headers, string name) => headers.Single(h => h.Key == name).Value;

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
