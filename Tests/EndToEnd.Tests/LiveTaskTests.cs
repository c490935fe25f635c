using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SdServerless.EndToEnd.Tests;

/// <summary>Waiting for a task in one call (<c>Prefer: wait</c>) and watching it live (<c>/v1/tasks/{id}/events</c>), through the API against the local system.</summary>
public sealed class LiveTaskTests(LiveSystemFixture system) : IClassFixture<LiveSystemFixture>
{
    [Fact]
    public async Task QuickTaskWithPreferWaitAnswers200WithItsOutputs()
    {
        using var response = await system.SubmitAsync(LiveSystemFixture.Request(size: 64, steps: 4), prefer: "wait=30");

        await WaitedAnswer.AssertSucceededWithOutputAsync(response, "wait=30");
    }

    [Fact]
    public async Task SlowTaskWithAShortWaitAnswers202WithItsLocation()
    {
        using var response = await system.SubmitAsync(LiveSystemFixture.Request(size: 2048, steps: 150, batchSize: 2), prefer: "respond-async, wait=2");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("wait=2", Assert.Single(response.Headers.GetValues("Preference-Applied")));
        var task = await response.Content.ReadFromJsonAsync<JsonObject>();
        var id = task!["id"]!.GetValue<string>();
        Assert.Contains(task["status"]!.GetValue<string>(), new[] { "queued", "running" });
        Assert.Equal($"/v1/tasks/{id}", response.Headers.Location!.OriginalString);

        // Waiting on GET ends with the task's end: here a cancel, heard from the same process.
        var waiting = system.Api.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}") { Headers = { { "Prefer", "wait=60" } } });
        (await system.Api.DeleteAsync($"/v1/tasks/{id}")).EnsureSuccessStatusCode();
        using var waited = await waiting;
        Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
        Assert.Equal("canceled", (await waited.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task EventStreamDeliversProgressThenTheEndAndResumesFromLastEventId()
    {
        using var submitted = await system.SubmitAsync(LiveSystemFixture.Request(size: 256, steps: 150));
        var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        // First connection: dropped after the first progress event.
        List<ServerSentEvent> first;
        using (var stream = await OpenAsync(id, lastEventId: null))
        {
            Assert.Equal("text/event-stream", stream.Content.Headers.ContentType!.MediaType);
            first = await ServerSentEvent.ReadAsync(await stream.Content.ReadAsStreamAsync(), e => e.Event == "progress" || IsEnd(e));
        }
        Assert.Equal("status", first[0].Event);
        var resumeFrom = first[^1];

        // Second connection: resumes after that event and runs to the end.
        using var resumed = await OpenAsync(id, resumeFrom.Id);
        var rest = await ServerSentEvent.ReadAsync(await resumed.Content.ReadAsStreamAsync());

        var all = first.Concat(rest).ToList();
        var progress = all.Where(e => e.Event == "progress").Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, p =>
        {
            Assert.Equal(150, p.GetProperty("steps").GetInt32());
            Assert.InRange(p.GetProperty("share").GetDouble(), 0.0, 1.0);
            Assert.Equal(id, p.GetProperty("id").GetString());
        });
        var end = all[^1];
        Assert.True(IsEnd(end), $"the last event is the end: {end}");
        var ended = JsonDocument.Parse(end.Data).RootElement;
        Assert.Equal("succeeded", ended.GetProperty("status").GetString());
        Assert.Equal(1, ended.GetProperty("outputs").GetArrayLength());
        Assert.Single(all, IsEnd);
        // Ids only grow, across both connections: nothing the first had is sent again.
        var ids = all.Select(e => Version.Parse(e.Id!)).ToList();
        Assert.Equal(ids.Order().ToList(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(rest, e => Assert.True(Version.Parse(e.Id!) > Version.Parse(resumeFrom.Id!)));

        // Resuming after the end sends nothing more, and the stream closes.
        using var after = await OpenAsync(id, end.Id);
        Assert.Empty(await ServerSentEvent.ReadAsync(await after.Content.ReadAsStreamAsync()));
    }

    [Fact]
    public async Task EventStreamOfAnotherCallersTaskIsNotFound()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tasks/tnotthere0000000000000000000000000/events");
        using var response = await system.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static bool IsEnd(ServerSentEvent e) =>
        e.Event == "status" && JsonDocument.Parse(e.Data).RootElement.GetProperty("status").GetString() is "succeeded" or "failed" or "canceled" or "expired";

    private async Task<HttpResponseMessage> OpenAsync(string id, string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tasks/{id}/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await system.Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return response;
    }
}
