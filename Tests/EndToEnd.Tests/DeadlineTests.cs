using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// Deadlines through the API, as separate processes on the emulators with one worker: a running task is stopped at its
/// <c>Cancel-After</c> deadline and ends <c>canceled</c> with reason <c>deadline</c>; a task queued behind it whose
/// deadline passes meanwhile ends <c>expired</c> without ever starting. Both fire their webhook.
/// </summary>
public class DeadlineTests(DeadlineTests.Emulators fixture) : IClassFixture<DeadlineTests.Emulators>
{
    private readonly ConcurrentQueue<(string Event, string TaskId)> _webhooks = new();

    public sealed class Emulators : LocalAwsFixture;

    [Fact]
    public async Task ARunningTaskIsCanceledAtItsDeadlineAndATaskQueuedBehindItExpiresWithoutRunning()
    {
        await using var receiver = await LoopbackServer.StartAsync(app => app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            _webhooks.Enqueue((body.RootElement.GetProperty("event").GetString()!, body.RootElement.GetProperty("id").GetString()!));
            return Results.Ok();
        }));
        var port = FreePort.Next();
        await using var api = await ServiceProcesses.StartApiAsync(fixture.Stack, port);
        await using var worker = ServiceProcesses.StartWorker(fixture.Stack, "sdruntime", "deadline-1");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add("x-api-key", "local-dev-key");
        var hook = $"{receiver.BaseAddress}hook";
        using var tasks = new TaskSeeder(fixture.Stack);

        // The worker takes tasks before any deadline starts counting: its start-up is not what is measured here.
        using (var warmUp = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "warm up", width = 64, height = 64, steps = 2 }))
        {
            var id = (await warmUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            Assert.Equal(TaskStatuses.Succeeded, (await TerminalViewAsync(client, id)).GetProperty("status").GetString());
        }

        // Far longer than its deadline on the tiny model: it is still running when the deadline comes.
        var running = await SubmitAsync(client, "10s", hook, steps: 150, batchSize: 4);
        await Eventually.TrueAsync(async () => await tasks.GetAsync(running) is { StartedAt: not null },
            "the long task to start", seconds: 10);
        var late = await SubmitAsync(client, "1s", hook, steps: 4, batchSize: 1);

        var canceled = await TerminalViewAsync(client, running);
        Assert.Equal(TaskStatuses.Canceled, canceled.GetProperty("status").GetString());
        Assert.Equal("deadline", canceled.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, canceled.GetProperty("outputs").GetArrayLength());
        Assert.Empty(await tasks.OutputKeysAsync(running));

        var expired = await TerminalViewAsync(client, late);
        Assert.Equal(TaskStatuses.Expired, expired.GetProperty("status").GetString());
        Assert.Equal("deadline", expired.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, expired.GetProperty("outputs").GetArrayLength());
        Assert.False(expired.TryGetProperty("started_at", out var startedAt) && startedAt.ValueKind != JsonValueKind.Null, "an expired task never starts");
        Assert.True(expired.GetProperty("deadline").GetDateTimeOffset() < expired.GetProperty("finished_at").GetDateTimeOffset());
        Assert.Empty(await tasks.OutputKeysAsync(late));
        var record = await tasks.GetAsync(late);
        Assert.Equal(0, record!.Attempts);

        await Eventually.TrueAsync(() => Task.FromResult(_webhooks.Contains(("task.canceled", running)) && _webhooks.Contains(("task.expired", late))),
            "task.canceled and task.expired webhooks", seconds: 60);
        Assert.Contains(("task.started", running), _webhooks);
        Assert.DoesNotContain(("task.started", late), _webhooks);
    }

    private static async Task<string> SubmitAsync(HttpClient client, string cancelAfter, string hook, int steps, int batchSize)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks")
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["prompt"] = "a deadline", ["width"] = 2048, ["height"] = 2048, ["steps"] = steps, ["batch_size"] = batchSize,
                ["sampler_name"] = "Euler", ["seed"] = 5, ["callback_url"] = hook, ["webhook_events"] = new[] { "start", "completed" },
            }),
        };
        request.Headers.Add("Cancel-After", cancelAfter);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.True(body.TryGetProperty("deadline", out _), "the accepted task shows its deadline");
        return body.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> TerminalViewAsync(HttpClient client, string id) =>
        (JsonElement)await Eventually.GetAsync(async () =>
            (await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{id}")) is var t && TaskStatuses.IsTerminal(t.GetProperty("status").GetString()!) ? (object)t : null,
            $"task {id} to end", seconds: 180);
}
