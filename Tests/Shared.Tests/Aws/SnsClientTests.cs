using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SdServerless.Aws.Sns;
using SdServerless.TestSupport;

namespace SdServerless.Shared.Tests.Aws;

/// <summary>The SNS client's error mapping and retries against a scripted server on 127.0.0.1, and errors from the emulator.</summary>
public class SnsClientTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private const string PublishOk = """
        <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>
        """;

    private static string Error(string code) => $"""
        <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>{code}</Code><Message>{code} happened</Message></Error></ErrorResponse>
        """;

    [Fact]
    public async Task ServerErrorsAndThrottlingAreRetriedUntilPublishSucceeds()
    {
        await using var server = await ScriptedSns.StartAsync((500, Error("InternalError")), (400, Error("Throttling")), (200, PublishOk));
        using var http = new HttpClient();

        var messageId = await Client(server.Url, http).PublishAsync(Request());

        Assert.Equal("m-1", messageId);
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKID/", r.Authorization));
        Assert.All(server.Requests, r => Assert.Contains("Action=Publish", r.Body));
    }

    [Fact]
    public async Task ClientErrorsFailAtOnceWithTheirCode()
    {
        await using var server = await ScriptedSns.StartAsync((400, Error("InvalidParameter")), (200, PublishOk));
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<SnsException>(() => Client(server.Url, http).PublishAsync(Request()));

        Assert.Equal("InvalidParameter", error.Code);
        Assert.False(error.IsTransient);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task PublishInsideASpanCarriesItsTraceAsHeaderAndAttribute()
    {
        await using var server = await ScriptedSns.StartAsync((200, PublishOk));
        using var http = new HttpClient();
        using var listener = new ActivityListener { ShouldListenTo = _ => true, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        using var parent = new ActivitySource("tests").StartActivity("parent")!;

        await Client(server.Url, http).PublishAsync(Request());

        var sent = Assert.Single(server.Requests);
        Assert.StartsWith($"Root=1-{parent.TraceId.ToHexString()[..8]}-{parent.TraceId.ToHexString()[8..]};Parent=", sent.TraceHeader);
        Assert.Contains($"00-{parent.TraceId.ToHexString()}-", Uri.UnescapeDataString(sent.Body));
        Assert.Contains("MessageAttributes.entry.2.Name=traceparent", sent.Body);
    }

    [Fact]
    public async Task EmulatorAnswersAMissingTopicWithNotFound()
    {
        using var http = new HttpClient();
        var sns = fixture.Stack.Connection.CreateSnsClient(http);

        var error = await Assert.ThrowsAsync<SnsException>(() => sns.PublishAsync(new SnsPublishRequest(
            "arn:aws:sns:us-east-1:000000000000:no-such-topic", "x", new Dictionary<string, SnsMessageAttribute>())));

        Assert.Contains("NotFound", error.Code);
        Assert.False(error.IsTransient);
    }

    private static SnsClient Client(Uri url, HttpClient http) =>
        new(http, new SnsClientOptions { Region = "us-east-1", ServiceUrl = url, BaseRetryDelay = TimeSpan.FromMilliseconds(1) }, new BasicAWSCredentials("AKID", "secret"));

    private static SnsPublishRequest Request() => new("arn:aws:sns:us-east-1:123456789012:tasks", "{\"id\":1}",
        new Dictionary<string, SnsMessageAttribute> { ["runtime"] = SnsMessageAttribute.String("sdruntime") });

    private sealed record SentRequest(string? Authorization, string? TraceHeader, string Body);

    /// <summary>Answers each request with the next scripted status and body.</summary>
    private sealed class ScriptedSns : IAsyncDisposable
    {
        private LoopbackServer _server = null!;

        public ConcurrentQueue<SentRequest> Requests { get; } = new();

        public Uri Url => _server.BaseAddress;

        public static async Task<ScriptedSns> StartAsync(params (int Status, string Body)[] script)
        {
            var scripted = new ScriptedSns();
            var answers = new ConcurrentQueue<(int Status, string Body)>(script);
            scripted._server = await LoopbackServer.StartAsync(app => app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                scripted.Requests.Enqueue(new SentRequest(context.Request.Headers.Authorization, context.Request.Headers["X-Amzn-Trace-Id"], await reader.ReadToEndAsync()));
                var (status, body) = answers.TryDequeue(out var next) ? next : (500, Error("InternalError"));
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/xml";
                await context.Response.WriteAsync(body);
            }));
            return scripted;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
