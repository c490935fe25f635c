using System.CommandLine;
using System.Diagnostics;
using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.LocalAws.Emulators;
using SdServerless.QueueAgent.Bench;
using SdServerless.TestSupport;

// Queue agent figures against the local emulators with the tiny model:
//   submit → worker start latency (p50/p99) at a fixed rate, and tasks/s with one and two workers.
//   dotnet run -c Release --project Benchmarks/QueueAgent.Bench [-- --tasks 60 --rate 10]
var tasksOption = new Option<int>("--tasks") { Description = "Tasks per measurement.", DefaultValueFactory = _ => 60 };
var rateOption = new Option<int>("--rate") { Description = "Submissions per second in the latency run.", DefaultValueFactory = _ => 10 };
var command = new RootCommand("Queue agent figures: submit-to-start latency and throughput with the tiny model.") { tasksOption, rateOption };
var parsed = command.Parse(args);
if (parsed.Errors.Count > 0 || parsed.Action is not null)
{
    return await parsed.InvokeAsync();
}
var tasks = parsed.GetValue(tasksOption);
var rate = parsed.GetValue(rateOption);

var model = Path.Combine(Path.GetTempPath(), "sdserverless-bench", ModelLocator.TinyModelFolderName);
ModelLocator.EnsureTinyModel(model);
await using var stack = await LocalAwsStack.StartAsync();
using var seeder = new TaskSeeder(stack);
var quick = TaskSeeder.Quick;

Console.WriteLine($"queue agent bench: {tasks} tasks of {quick.Width}x{quick.Height}, {quick.Steps} steps, tiny model, {Environment.ProcessorCount} cores");

// 1. Latency: one worker waiting on its long poll, tasks submitted at a fixed rate.
await using (var worker = await BenchWorker.StartAsync(stack, model, "latency"))
{
    // Warm-up: the first tasks pay for JIT and first connections; they are not counted.
    for (var i = 0; i < 5; i++)
    {
        await seeder.TerminalAsync((await seeder.SubmitAsync(quick)).Id, seconds: 120);
    }
    var submitted = new List<string>();
    var interval = TimeSpan.FromSeconds(1.0 / rate);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < tasks; i++)
    {
        var due = interval * i;
        if (clock.Elapsed < due)
        {
            await Task.Delay(due - clock.Elapsed);
        }
        submitted.Add((await seeder.SubmitAsync(quick)).Id);
    }
    var latencies = new List<double>();
    foreach (var id in submitted)
    {
        var done = await seeder.TerminalAsync(id, seconds: 120);
        latencies.Add((done.StartedAt!.Value - done.CreatedAt).TotalMilliseconds);
    }
    latencies.Sort();
    Console.WriteLine($"submit → start at {rate}/s: p50 {Percentile(latencies, 50):F1} ms, p99 {Percentile(latencies, 99):F1} ms, max {latencies[^1]:F1} ms");
}

// 2. Throughput: a backlog drained by one worker, then by two.
var single = await DrainAsync(1);
var dual = await DrainAsync(2);
Console.WriteLine($"backlog of {tasks}: 1 worker {single:F1} tasks/s, 2 workers {dual:F1} tasks/s ({dual / single:F2}x)");
return 0;

async Task<double> DrainAsync(int workers)
{
    var ids = new List<string>();
    for (var i = 0; i < tasks; i++)
    {
        ids.Add((await seeder.SubmitAsync(quick)).Id);
    }
    var clock = Stopwatch.StartNew();
    var hosts = new List<BenchWorker>();
    for (var i = 0; i < workers; i++)
    {
        hosts.Add(await BenchWorker.StartAsync(stack, model, $"drain-{workers}-{i}"));
    }
    foreach (var id in ids)
    {
        var done = await seeder.TerminalAsync(id, seconds: 300);
        if (done.Status != TaskStatuses.Succeeded)
        {
            throw new InvalidOperationException($"task {id} ended {done.Status}");
        }
    }
    var elapsed = clock.Elapsed;
    foreach (var host in hosts)
    {
        await host.DisposeAsync();
    }
    return tasks / elapsed.TotalSeconds;
}

static double Percentile(List<double> sorted, double p) =>
    sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
