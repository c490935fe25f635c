using System.Net;
using System.Text;
using System.Text.Json;

namespace SdServerless.Functions.Tests.Callbacks.Sweep;

/// <summary>The template's schedule event, posted to <c>/events</c> as the Lambda Web Adapter passes it on; answers the sweep's report.</summary>
public static class ScheduledSweep
{
    private const string ScheduledEventBody = """
        {"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events",
         "account":"000000000000","time":"2026-12-06T18:00:00Z","region":"us-east-1",
         "resources":["arn:aws:events:us-east-1:000000000000:rule/sdserverless-QueuedTaskSweep"],"detail":{}}
        """;

    public static async Task<JsonElement> RunAsync(HttpClient app)
    {
        using var response = await app.PostAsync("/events", new StringContent(ScheduledEventBody, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
