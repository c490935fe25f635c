using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.LocalAws.Emulators;

namespace SdServerless.Functions.Tests.Tasks.Live.AppSync;

/// <summary>
/// A task canceled while queued has no result until a worker receives its message, which may be much later: the API
/// instance that cancels it publishes the end on the task channel, so a stream on another instance ends at once
/// (docs/decisions/0337-task-event-channel.md).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CancelOnTheChannelTests(ApiFixture fixture) : IAsyncLifetime
{
    private EmulatorProcess _events = null!;

    public async Task InitializeAsync() => _events = await EmulatorProcess.StartAsync("appsync-events");

    public async Task DisposeAsync() => await _events.DisposeAsync();

    [Fact]
    public async Task AStreamOnOneInstanceEndsWhenAnotherInstanceCancelsItsQueuedTask()
    {
        // Two API instances as on AWS: no callback flow in either, both on the channel; no worker anywhere.
        var settings = new Dictionary<string, string>
        {
            ["Live:Channel:HttpEndpoint"] = _events.Endpoint.ToString(),
            ["Live:Channel:RealtimeEndpoint"] = new UriBuilder(_events.Endpoint) { Scheme = "ws" }.Uri.ToString(),
            ["Live:Channel:ApiId"] = "sdserverless-TaskChannelApi",
            // No keep-alive read before the test gives up: the end can only arrive through the channel.
            ["Live:KeepAliveSeconds"] = "120",
        };
        using var watching = fixture.CreateFactory(settings);
        using var canceling = fixture.CreateFactory(settings);
        using var watcher = watching.CreateClient();
        using var canceler = canceling.CreateClient();
        watcher.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyA);
        canceler.DefaultRequestHeaders.Add("x-api-key", ApiFixture.KeyA);
        var submitted = await (await watcher.PostAsJsonAsync("/v1/tasks", new { prompt = "a lighthouse nobody runs", steps = 4 })).Content.ReadFromJsonAsync<JsonElement>();
        var id = submitted.GetProperty("id").GetString()!;

        using var stream = await watcher.GetAsync($"/v1/tasks/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal("retry: 2000", await reader.ReadLineAsync(limit.Token));
        // The queued status event has been written, so the stream is subscribed to the channel.
        while (await reader.ReadLineAsync(limit.Token) is { } line && !line.Contains("\"queued\"", StringComparison.Ordinal))
        {
        }

        (await canceler.DeleteAsync($"/v1/tasks/{id}")).EnsureSuccessStatusCode();

        var rest = await reader.ReadToEndAsync(limit.Token);
        Assert.Contains("id: 2.0\nevent: status\n", rest, StringComparison.Ordinal);
        Assert.Contains("\"canceled\"", rest, StringComparison.Ordinal);
    }
}
