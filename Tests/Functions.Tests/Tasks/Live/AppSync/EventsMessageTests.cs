using System.Text.Json;
using SdServerless.Functions.Tasks.Live.AppSync;

namespace SdServerless.Functions.Tests.Tasks.Live.AppSync;

public class EventsMessageTests
{
    [Fact]
    public void SubscribeCarriesIdChannelAndTheAuthorizationHeadersAsAnObject()
    {
        var text = EventsMessage.Subscribe("s1", "/tasks/t1", [new("host", "h"), new("authorization", "AWS4-HMAC-SHA256 Credential=a/b")]);

        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.Equal("subscribe", root.GetProperty("type").GetString());
        Assert.Equal("s1", root.GetProperty("id").GetString());
        Assert.Equal("/tasks/t1", root.GetProperty("channel").GetString());
        Assert.Equal("h", root.GetProperty("authorization").GetProperty("host").GetString());
        Assert.Equal("AWS4-HMAC-SHA256 Credential=a/b", root.GetProperty("authorization").GetProperty("authorization").GetString());
    }

    [Fact]
    public void BodiesAreCompactJsonAsSigned()
    {
        Assert.Equal("""{"channel":"/tasks/t1"}""", EventsMessage.SubscribeSigningBody("/tasks/t1"));
        Assert.Equal("""{"channel":"/tasks/t1","events":["{\"kind\":\"ended\"}"]}""", EventsMessage.PublishBody("/tasks/t1", ["""{"kind":"ended"}"""]));
        Assert.Equal("""{"type":"unsubscribe","id":"s1"}""", EventsMessage.Unsubscribe("s1"));
        Assert.Equal("""{"type":"connection_init"}""", EventsMessage.ConnectionInit());
    }

    [Fact]
    public void ParsesTheServersMessages()
    {
        Assert.Equal(new EventsMessage("connection_ack", ConnectionTimeoutMs: 300000), EventsMessage.Parse("""{"type":"connection_ack","connectionTimeoutMs":300000}"""));
        Assert.Equal(new EventsMessage("ka"), EventsMessage.Parse("""{"type":"ka"}"""));
        Assert.Equal(new EventsMessage("subscribe_success", "s1"), EventsMessage.Parse("""{"type":"subscribe_success","id":"s1"}"""));
        Assert.Equal(new EventsMessage("data", "s1", """{"kind":"ended"}"""), EventsMessage.Parse("""{"type":"data","id":"s1","event":"{\"kind\":\"ended\"}"}"""));

        var refused = EventsMessage.Parse("""{"type":"subscribe_error","id":"s1","errors":[{"errorType":"UnauthorizedException"}]}""");
        Assert.Equal("subscribe_error", refused.Type);
        Assert.Contains("UnauthorizedException", refused.Errors);
        Assert.Equal("unreadable", EventsMessage.Parse("not json").Type);
        Assert.Equal("unreadable", EventsMessage.Parse("""{"id":"s1"}""").Type);
    }
}
