using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// Priorities through the API, as separate processes on the emulators with one worker: each priority reaches its own
/// queue, <c>GET /v1/runtimes</c> counts them apart, and a high task submitted after ten low ones while the worker is
/// busy runs before most of them.
/// </summary>
public class PriorityTests(PriorityTests.Emulators fixture) : IClassFixture<PriorityTests.Emulators>
{
    public sealed class Emulators : LocalAwsFixture;

    [Fact]
    public async Task AHighTaskSubmittedAfterTenLowOnesFinishesBeforeMostOfThem()
    {
        var port = FreePort.Next();
        await using var api = await ServiceProcesses.StartApiAsync(fixture.Stack, port);
        await using var worker = ServiceProcesses.StartWorker(fixture.Stack, "sdruntime", "priority-1");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add("x-api-key", "local-dev-key");
        using var tasks = new TaskSeeder(fixture.Stack);

        var busy = await SubmitAsync(client, TaskPriorities.Normal, size: 2048, steps: 150, batchSize: 2);
        await Eventually.TrueAsync(async () => await tasks.GetAsync(busy) is { Status: TaskStatuses.Running },
            "the worker to be busy", seconds: 120);
        var lows = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            lows.Add(await SubmitAsync(client, TaskPriorities.Low, size: 64, steps: 4, batchSize: 1));
        }
        var high = await SubmitAsync(client, TaskPriorities.High, size: 64, steps: 4, batchSize: 1);

        var runtimes = await client.GetFromJsonAsync<JsonElement>("/v1/runtimes");
        var queues = runtimes.GetProperty("runtimes").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "sdruntime").GetProperty("queues");
        Assert.Equal(["high", "normal", "low"], queues.EnumerateObject().Select(q => q.Name));
        if (await tasks.GetAsync(busy) is { Status: TaskStatuses.Running })
        {
            Assert.Equal(10, queues.GetProperty("low").GetProperty("visible_messages").GetInt64());
            Assert.Equal(1, queues.GetProperty("normal").GetProperty("in_flight_messages").GetInt64());
        }

        var highEnd = (await tasks.TerminalAsync(high, seconds: 300)).FinishedAt!.Value;
        var lowEnds = new List<DateTimeOffset>();
        foreach (var id in lows)
        {
            var low = await tasks.TerminalAsync(id, seconds: 300);
            Assert.Equal(TaskStatuses.Succeeded, low.Status);
            Assert.Equal(TaskPriorities.Low, low.Priority);
            lowEnds.Add(low.FinishedAt!.Value);
        }
        var lowsAfterHigh = lowEnds.Count(end => end > highEnd);
        Assert.True(lowsAfterHigh > lows.Count / 2, $"the high task finished after {lows.Count - lowsAfterHigh} of the 10 low ones");
        Assert.Equal(TaskPriorities.High, (await client.GetFromJsonAsync<JsonElement>($"/v1/tasks/{high}")).GetProperty("priority").GetString());
    }

    private static async Task<string> SubmitAsync(HttpClient client, string priority, int size, int steps, int batchSize)
    {
        using var response = await client.PostAsJsonAsync("/v1/tasks", new Dictionary<string, object>
        {
            ["prompt"] = $"a {priority} one", ["width"] = size, ["height"] = size, ["steps"] = steps, ["batch_size"] = batchSize,
            ["sampler_name"] = "Euler", ["seed"] = 3, ["priority"] = priority,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal(priority, body.GetProperty("priority").GetString());
        return body.GetProperty("id").GetString()!;
    }
}
