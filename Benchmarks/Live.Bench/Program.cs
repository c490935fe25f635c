using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.Live.Bench;
using SdServerless.LocalAws.Emulators;

// Waiting and watching figures against the local emulators with the tiny model, in one run:
//   the latency Prefer: wait adds over the task's own end (response time - finished_at), p50/p99, against polling GET
//   every 100 ms (the time the poll saw the end - finished_at), alternating task by task;
//   and the delay of an event stream's progress event after the worker recorded the step (receipt - at), against a
//   client polling GET every 100 ms on the same task at the same time (first seen - at, for the steps both saw).
//   dotnet run -c Release --project Benchmarks/Live.Bench [-- --tasks 200 --streams 10 --watch-steps 600]
var tasksOption = new Option<int>("--tasks") { Description = "Quick tasks per way of waiting.", DefaultValueFactory = _ => 200 };
var streamsOption = new Option<int>("--streams") { Description = "Watched tasks for the event delay.", DefaultValueFactory = _ => 10 };
var watchStepsOption = new Option<int>("--watch-steps") { Description = "Steps of each watched task (256x256): more steps, more progress events.", DefaultValueFactory = _ => 600 };
var command = new RootCommand("Prefer: wait against polling, and event stream delay, with the tiny model.") { tasksOption, streamsOption, watchStepsOption };
var parsed = command.Parse(args);
if (parsed.Errors.Count > 0 || parsed.Action is not null)
{
    return await parsed.InvokeAsync();
}
var tasks = parsed.GetValue(tasksOption);
var streams = parsed.GetValue(streamsOption);
var watchSteps = parsed.GetValue(watchStepsOption);

var model = Path.Combine(Path.GetTempPath(), "sdserverless-bench", ModelLocator.TinyModelFolderName);
ModelLocator.EnsureTinyModel(model);
await using var stack = await LocalAwsStack.StartAsync();
await using var system = await LiveSystem.StartAsync(stack, model);
var api = system.Api;
Console.WriteLine($"live bench: {tasks} quick tasks (64x64, 4 steps) per way, {streams} watched tasks (256x256, {watchSteps} steps), tiny model, {Environment.ProcessorCount} cores");

var own = new List<double>();
for (var i = 0; i < 5; i++)
{
    await WaitAsync(); // warm-up
}
own.Clear();
var waited = new List<double>();
var polled = new List<double>();
for (var i = 0; i < tasks; i++)
{
    waited.Add(await WaitAsync());
    polled.Add(await PollAsync());
}

var delays = new List<double>();
var pollDelays = new List<double>();
for (var i = 0; i < streams; i++)
{
    var watched = await WatchAsync();
    delays.AddRange(watched.Streamed.Values);
    pollDelays.AddRange(watched.Polled.Values);
}

Console.WriteLine();
Console.WriteLine("## Added latency after the task's end (ms): answer received - finished_at");
Console.WriteLine("| way | tasks | p50 | p99 | max |");
Console.WriteLine("| --- | --- | --- | --- | --- |");
Row("Prefer: wait=30", waited);
Row("poll GET every 100 ms", polled);
Console.WriteLine($"task's own time (created_at -> finished_at): p50 {F(Percentile(own, 0.5))} ms, p99 {F(Percentile(own, 0.99))} ms");
Console.WriteLine();
Console.WriteLine("## Progress seen - step recorded by the worker (ms), the same tasks watched both ways at once");
Console.WriteLine("| way | steps | p50 | p99 | max |");
Console.WriteLine("| --- | --- | --- | --- | --- |");
Row("event stream", delays);
Row("poll GET every 100 ms", pollDelays);
return 0;

async Task<double> WaitAsync()
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = JsonContent.Create(Quick()) };
    request.Headers.Add("Prefer", "wait=30");
    using var response = await api.SendAsync(request);
    var received = DateTimeOffset.UtcNow;
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"Prefer: wait=30 answered {(int)response.StatusCode}");
    }
    return AddedAfterEnd(await response.Content.ReadFromJsonAsync<JsonObject>(), received);
}

async Task<double> PollAsync()
{
    using var submitted = await api.PostAsJsonAsync("/v1/tasks", Quick());
    var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    while (true)
    {
        await Task.Delay(100);
        var task = await api.GetFromJsonAsync<JsonObject>($"/v1/tasks/{id}");
        var seen = DateTimeOffset.UtcNow;
        if (task!["status"]!.GetValue<string>() is "succeeded" or "failed" or "canceled")
        {
            return AddedAfterEnd(task, seen);
        }
    }
}

double AddedAfterEnd(JsonObject? task, DateTimeOffset seen)
{
    var ended = task ?? throw new InvalidOperationException("No task in the answer.");
    var created = ended["created_at"]!.GetValue<DateTimeOffset>();
    var finished = ended["finished_at"]!.GetValue<DateTimeOffset>();
    own.Add((finished - created).TotalMilliseconds);
    return (seen - finished).TotalMilliseconds;
}

// Per step the worker recorded: how long after the recording the event stream delivered it, and how long after it a
// client polling GET every 100 ms at the same time first saw it (steps the poll never saw are left out of its figures).
async Task<(Dictionary<int, double> Streamed, Dictionary<int, double> Polled)> WatchAsync()
{
    var body = Quick();
    body["width"] = 256;
    body["height"] = 256;
    body["steps"] = watchSteps;
    using var submitted = await api.PostAsJsonAsync("/v1/tasks", body);
    var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    using var stop = new CancellationTokenSource();
    var firstSeen = new Dictionary<int, DateTimeOffset>();
    var poller = PollProgressAsync(id, firstSeen, stop.Token);
    using var response = await api.GetAsync($"/v1/tasks/{id}/events", HttpCompletionOption.ResponseHeadersRead);
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
    var streamed = new Dictionary<int, double>();
    var recorded = new Dictionary<int, DateTimeOffset>();
    while (await reader.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonDocument.Parse(line[6..]).RootElement is var data
            && data.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.String)
        {
            var step = data.GetProperty("step").GetInt32();
            recorded[step] = at.GetDateTimeOffset();
            streamed[step] = (DateTimeOffset.UtcNow - recorded[step]).TotalMilliseconds;
        }
    }
    await stop.CancelAsync();
    await poller;
    var polled = firstSeen.Where(s => recorded.ContainsKey(s.Key)).ToDictionary(s => s.Key, s => (s.Value - recorded[s.Key]).TotalMilliseconds);
    return (streamed, polled);
}

async Task PollProgressAsync(string id, Dictionary<int, DateTimeOffset> firstSeen, CancellationToken cancellationToken)
{
    try
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(100, cancellationToken);
            var task = await api.GetFromJsonAsync<JsonObject>($"/v1/tasks/{id}", cancellationToken);
            var seen = DateTimeOffset.UtcNow;
            if (task?["progress"] is JsonObject progress && progress["step"]!.GetValue<int>() is var step)
            {
                firstSeen.TryAdd(step, seen);
            }
        }
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        // The stream ended: the task is over.
    }
}

static JsonObject Quick() => new()
{
    ["runtime"] = "sdruntime",
    ["prompt"] = "a quick lighthouse",
    ["width"] = 64,
    ["height"] = 64,
    ["steps"] = 4,
    ["seed"] = 42,
    ["sampler_name"] = "Euler",
};

void Row(string way, List<double> values) =>
    Console.WriteLine($"| {way} | {values.Count} | {F(Percentile(values, 0.5))} | {F(Percentile(values, 0.99))} | {F(values.DefaultIfEmpty(double.NaN).Max())} |");

static double Percentile(List<double> values, double quantile)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}

static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
