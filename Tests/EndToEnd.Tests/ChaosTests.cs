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
    /// <summary>
    /// The CI size; the size of a full chaos run by hand:
    /// <c>SDSERVERLESS_CHAOS_TASKS=120 SDSERVERLESS_CHAOS_KILLS=12 SDSERVERLESS_CHAOS_API_KILLS=6 dotnet test --filter Chaos</c>,
    /// with <c>SDSERVERLESS_CHAOS_LOG_DIR</c> set to keep every process's log and the run's progress.
    /// </summary>
    private static readonly int Tasks = Setting("SDSERVERLESS_CHAOS_TASKS", 8);
    private static readonly int Kills = Setting("SDSERVERLESS_CHAOS_KILLS", 3);
    private static readonly int ApiKills = Math.Min(Setting("SDSERVERLESS_CHAOS_API_KILLS", 1), Kills);
    private static readonly string? LogDirectory = Environment.GetEnvironmentVariable("SDSERVERLESS_CHAOS_LOG_DIR");

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

            // A killed task's message comes back at the end of a deep queue, so its takeover is watched beside the run,
            // not waited for before the next kill.
            var takeovers = new List<Task<TimeSpan>>();
            for (var kill = 1; kill <= Kills; kill++)
            {
                var running = await Eventually.GetAsync(async () => await RunningOnAsync(tasks, ids, $"chaos-{workerNumber}"), $"a task running on worker {workerNumber}", seconds: 180);
                worker.Kill();
                var killedAt = Stopwatch.StartNew();
                await worker.DisposeAsync();
                Keep($"worker-{workerNumber}.log", worker.Output);
                takeovers.Add(TakenOverAsync(tasks, running, $"chaos-{workerNumber}", killedAt, kill));
                worker = StartWorker(++workerNumber);
                Progress($"kill {kill}: worker {workerNumber - 1} killed while running task {running}");
                if (ApiKillFollows(kill))
                {
                    // The API dies too, with results and webhooks in flight; the queues hold them until it is back.
                    api.Kill();
                    await api.DisposeAsync();
                    Keep($"api-after-kill-{kill}.log", api.Output);
                    api = await StartApiAsync(apiPort);
                    Progress($"API restarted after kill {kill}");
                }
            }

            // About four seconds a task on two cores, and a killed one waits behind every task queued after it.
            var pending = new List<string>(ids);
            await Eventually.TrueAsync(async () =>
            {
                while (pending.Count > 0 && await tasks.GetAsync(pending[0]) is { } first && TaskStatuses.IsTerminal(first.Status))
                {
                    pending.RemoveAt(0);
                }
                return pending.Count == 0;
            }, "every task to end", seconds: 300 + 10 * Tasks);
            var recoveries = await Task.WhenAll(takeovers);
            foreach (var id in ids)
            {
                var done = await tasks.TerminalAsync(id);
                Progress($"task {id} ended {done.Status}");
                Assert.True(TaskStatuses.Succeeded == done.Status, $"task {id} ended {done.Status}: {done.Error?.Code} {done.Error?.Message}");
                Assert.Equal([$"outputs/{id}/{id}-0.png", $"outputs/{id}/{id}-1.png"], await tasks.OutputKeysAsync(id));
            }
            await Eventually.TrueAsync(() => Task.FromResult(ids.All(id => _webhooks.Any(w => w.TaskId == id && w.Event == "task.succeeded"))),
                "a task.succeeded webhook for every task", seconds: 120);
            foreach (var group in _webhooks.GroupBy(w => (w.TaskId, w.Event)))
            {
                Assert.True(group.Select(w => w.WebhookId).Distinct().Count() == 1, $"{group.Key} arrived under more than one webhook-id");
            }
            output.WriteLine($"{Tasks} tasks, {Kills} worker kills (SIGKILL), {ApiKills} API kills, lease {(LeaseSeconds == 0 ? "default" : $"{LeaseSeconds} s")}; killed task started again after: " +
                string.Join(", ", recoveries.Select(r => $"{r.TotalSeconds:F1} s")));
        }
        finally
        {
            await worker.DisposeAsync();
            await api.DisposeAsync();
            Keep($"worker-{workerNumber}.log", worker.Output);
            Keep("api-last.log", api.Output);
            tasks.Dispose();
        }
    }

    /// <summary>How long after its worker's kill the task running on it was started by another worker (or ended).</summary>
    private static async Task<TimeSpan> TakenOverAsync(TaskSeeder tasks, string id, string killedWorker, Stopwatch killedAt, int kill)
    {
        await Eventually.TrueAsync(async () => await tasks.GetAsync(id) is { } t && (TaskStatuses.IsTerminal(t.Status) || t.Worker != killedWorker),
            $"task {id} to be taken over", seconds: 300 + 10 * Tasks);
        Progress($"kill {kill}: task {id} taken over after {killedAt.Elapsed.TotalSeconds:F1} s");
        return killedAt.Elapsed;
    }

    /// <summary>The API kills spread evenly over the worker kills, the first after the first.</summary>
    private static bool ApiKillFollows(int kill) => Enumerable.Range(0, ApiKills).Any(i => 1 + i * Kills / ApiKills == kill);

    private static void Keep(string name, string text)
    {
        if (LogDirectory is not null)
        {
            Directory.CreateDirectory(LogDirectory);
            File.WriteAllText(Path.Combine(LogDirectory, name), text);
        }
    }

    private static void Progress(string line)
    {
        if (LogDirectory is not null)
        {
            Directory.CreateDirectory(LogDirectory);
            File.AppendAllText(Path.Combine(LogDirectory, "progress.log"), $"{DateTime.UtcNow:HH:mm:ss} {line}{Environment.NewLine}");
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
