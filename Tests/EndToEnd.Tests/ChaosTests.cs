using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;
using Xunit.Abstractions;

namespace SdServerless.EndToEnd.Tests;

/// <summary>
/// The whole system as separate processes (emulators, the Functions app, a GPU worker) while the worker is killed with
/// SIGKILL mid-task and restarted, again and again, and the API is killed and restarted once. Afterwards every task has
/// succeeded with exactly its outputs, and each webhook event reached the receiver under one webhook-id. The worker runs
/// with its default leases, so the recovery times it prints are what a deployment sees.
/// </summary>
public class ChaosTests(ChaosTests.Emulators fixture, ITestOutputHelper output) : IClassFixture<ChaosTests.Emulators>
{
    /// <summary>The CI size; a longer run by hand: <c>SDSERVERLESS_CHAOS_TASKS=24 SDSERVERLESS_CHAOS_KILLS=8 dotnet test --filter Chaos</c>.</summary>
    private static readonly int Tasks = Setting("SDSERVERLESS_CHAOS_TASKS", 8);
    private static readonly int Kills = Setting("SDSERVERLESS_CHAOS_KILLS", 3);

    /// <summary>The worker's lease; 0 keeps its default. Set it to 120 to measure the former lease beside the default in the same run.</summary>
    private static readonly int LeaseSeconds = Setting("SDSERVERLESS_CHAOS_LEASE_SECONDS", 0);

    private readonly ConcurrentBag<(string WebhookId, string Event, string TaskId)> _webhooks = [];

    [Fact]
    public async Task TasksSurviveWorkerKillsAndAnApiRestartWithOneResultAndOneWebhookIdPerEvent()
    {
        await using var receiver = await LoopbackServer.StartAsync(app => app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            _webhooks.Add((request.Headers["webhook-id"].ToString(), body.RootElement.GetProperty("event").GetString()!, body.RootElement.GetProperty("id").GetString()!));
            return Results.Ok();
        }));
        var apiPort = FreePort.Next();
        var api = await StartApiAsync(apiPort);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
        client.DefaultRequestHeaders.Add("x-api-key", "local-dev-key");
        var tasks = new TaskSeeder(fixture.Stack);
        var workerNumber = 0;
        var worker = StartWorker(++workerNumber);
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < Tasks; i++)
            {
                using var response = await client.PostAsJsonAsync("/v1/tasks", Submission($"{receiver.BaseAddress}hook"));
                response.EnsureSuccessStatusCode();
                ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }

            var recoveries = new List<TimeSpan>();
            for (var kill = 1; kill <= Kills; kill++)
            {
                var running = await Eventually.GetAsync(async () => await RunningOnAsync(tasks, ids, $"chaos-{workerNumber}"), $"a task running on worker {workerNumber}", seconds: 180);
                worker.Kill();
                var killedAt = Stopwatch.StartNew();
                await worker.DisposeAsync();
                worker = StartWorker(++workerNumber);
                await Eventually.TrueAsync(async () => await tasks.GetAsync(running) is { } t && (TaskStatuses.IsTerminal(t.Status) || t.Worker != $"chaos-{workerNumber - 1}"),
                    $"task {running} to be taken over", seconds: 120);
                recoveries.Add(killedAt.Elapsed);
                if (kill == 1)
                {
                    // The API dies too, with results and webhooks in flight; the queues hold them until it is back.
                    api.Kill();
                    await api.DisposeAsync();
                    api = await StartApiAsync(apiPort);
                }
            }

            foreach (var id in ids)
            {
                var done = await tasks.TerminalAsync(id, seconds: 300);
                Assert.True(TaskStatuses.Succeeded == done.Status, $"task {id} ended {done.Status}: {done.Error?.Code} {done.Error?.Message}");
                Assert.Equal([$"outputs/{id}/{id}-0.png", $"outputs/{id}/{id}-1.png"], await tasks.OutputKeysAsync(id));
            }
            await Eventually.TrueAsync(() => Task.FromResult(ids.All(id => _webhooks.Any(w => w.TaskId == id && w.Event == "task.succeeded"))),
                "a task.succeeded webhook for every task", seconds: 120);
            foreach (var group in _webhooks.GroupBy(w => (w.TaskId, w.Event)))
            {
                Assert.True(group.Select(w => w.WebhookId).Distinct().Count() == 1, $"{group.Key} arrived under more than one webhook-id");
            }
            output.WriteLine($"{Tasks} tasks, {Kills} worker kills (SIGKILL), 1 API kill, lease {(LeaseSeconds == 0 ? "default" : $"{LeaseSeconds} s")}; recovery after each worker kill: " +
                string.Join(", ", recoveries.Select(r => $"{r.TotalSeconds:F1} s")));
        }
        finally
        {
            await worker.DisposeAsync();
            await api.DisposeAsync();
            tasks.Dispose();
        }
    }

    /// <summary>About three seconds of denoising with the tiny model on two cores: long enough to be killed in.</summary>
    private static object Submission(string callback) => new Dictionary<string, object>
    {
        ["prompt"] = "chaos", ["width"] = 2048, ["height"] = 2048, ["steps"] = 60, ["batch_size"] = 2, ["sampler_name"] = "Euler", ["seed"] = 11,
        ["callback_url"] = callback, ["webhook_events"] = new[] { "start", "completed" },
    };

    /// <summary>The template's defaults: the same task may be the one running at every kill, and that must not fail it.</summary>
    public sealed class Emulators : LocalAwsFixture;

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    private static async Task<string?> RunningOnAsync(TaskSeeder tasks, IEnumerable<string> ids, string worker)
    {
        foreach (var id in ids)
        {
            if (await tasks.GetAsync(id) is { Status: TaskStatuses.Running, ProgressStep: > 0 } task && task.Worker == worker)
            {
                return id;
            }
        }
        return null;
    }

    private Task<ServiceProcess> StartApiAsync(int port) => ServiceProcesses.StartApiAsync(fixture.Stack, port);

    private ServiceProcess StartWorker(int number) => ServiceProcesses.StartWorker(fixture.Stack, "sdruntime", $"chaos-{number}",
        LeaseSeconds == 0 ? null : new Dictionary<string, string>
        {
            ["Worker:VisibilityExtensionSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Worker:HeartbeatSeconds"] = (LeaseSeconds / 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
}
