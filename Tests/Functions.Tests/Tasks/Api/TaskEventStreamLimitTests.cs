using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Functions.Tests.Infrastructure;

namespace SdServerless.Functions.Tests.Tasks.Api;

/// <summary>
/// A streamed answer on AWS may last 15 minutes and the events function 900 s (docs/decisions/0332): the stream ends on its
/// own before that, with nothing lost, so the client resumes it with <c>Last-Event-ID</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public class TaskEventStreamLimitTests(ApiFixture fixture)
{
    [Fact]
    public async Task AStreamOpenForItsLongestTimeEndsBeforeTheTaskAndResumesFromItsLastEventId()
    {
        using var factory = fixture.CreateFactory(new Dictionary<string, string> { ["Live:MaxStreamSeconds"] = "1", ["Live:UnfedReadMilliseconds"] = "200" });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyA);
        var submitted = await (await client.PostAsJsonAsync("/v1/tasks", new { prompt = "a queued lighthouse", steps = 4 })).Content.ReadFromJsonAsync<JsonElement>();
        var id = submitted.GetProperty("id").GetString()!;

        // No worker takes the task: without the limit this stream would stay open until the task expired.
        using var first = await client.GetAsync($"/v1/tasks/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        var firstText = await first.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("id: 0.0\nevent: status\n", firstText, StringComparison.Ordinal);
        Assert.Contains("\"queued\"", firstText, StringComparison.Ordinal);

        (await client.DeleteAsync($"/v1/tasks/{id}")).EnsureSuccessStatusCode();
        using var resume = new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}/events") { Headers = { { "Last-Event-ID", "0.0" } } };
        using var second = await client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        var secondText = await second.Content.ReadAsStringAsync();

        Assert.DoesNotContain("id: 0.0\n", secondText, StringComparison.Ordinal);
        Assert.Contains("id: 2.0\nevent: status\n", secondText, StringComparison.Ordinal);
        Assert.Contains("\"canceled\"", secondText, StringComparison.Ordinal);
    }
}
