using System.Globalization;
using SdServerless.Functions.Bench;
using SdServerless.LocalAws.Emulators;

// Submit throughput and latency at fixed rates, and cold start (exec → first 200 on /healthz) of the JIT, ReadyToRun
// and Native AOT builds, all against the local emulators on 127.0.0.1, in one run.
return await BenchOptions.Command(RunAsync).Parse(args).InvokeAsync();

async Task<int> RunAsync(BenchOptions options)
{
    var flavors = options.Flavors.Union(options.LoadFlavors).Select(AppFlavor.Get).ToList();
    if (options.Publish)
    {
        foreach (var flavor in flavors)
        {
            Console.WriteLine($"publishing {flavor.Name} ...");
            await flavor.PublishAsync();
        }
    }

    Console.WriteLine("starting emulators ...");
    await using var stack = await LocalAwsStack.StartAsync();
    var environment = stack.ServiceEnvironment();
    Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs; .NET {Environment.Version}");

    Console.WriteLine();
    Console.WriteLine("## Cold start: exec -> first 200 on /healthz (ms)");
    Console.WriteLine("| build | runs | median | min | max |");
    Console.WriteLine("| --- | --- | --- | --- | --- |");
    foreach (var flavor in options.Flavors.Select(AppFlavor.Get))
    {
        var times = new List<double>();
        for (var run = 0; run < options.ColdRuns; run++)
        {
            await using var app = await AppProcess.StartAsync(flavor, environment);
            times.Add(app.TimeToHealthy.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"| {flavor.Name} | {times.Count} | {F(times[times.Count / 2])} | {F(times[0])} | {F(times[^1])} |");
    }

    Console.WriteLine();
    Console.WriteLine($"## Emulator ceiling: DynamoDB put + SNS publish direct, 64 in flight, {options.Seconds} s");
    var ceiling = await EmulatorCeiling.RunAsync(stack, 64, TimeSpan.FromSeconds(options.Seconds));
    Console.WriteLine($"ops/s {F(ceiling.PerSecond)}, p50 {F(ceiling.P50)} ms, p99 {F(ceiling.P99)} ms, failed {ceiling.Failed}");

    foreach (var flavor in options.LoadFlavors.Select(AppFlavor.Get))
    {
        Console.WriteLine();
        Console.WriteLine($"## Submit (POST /v1/tasks) at fixed rates, {flavor.Name} build, {options.Seconds} s each (latency from due time, ms)");
        Console.WriteLine("| target/s | achieved/s | p50 | p99 | max | failed |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        await using var app = await AppProcess.StartAsync(flavor, environment);
        await FixedRateLoad.RunAsync(app.Address, 100, TimeSpan.FromSeconds(3)); // warm-up
        foreach (var rate in options.Rates)
        {
            var result = await FixedRateLoad.RunAsync(app.Address, rate, TimeSpan.FromSeconds(options.Seconds));
            Console.WriteLine($"| {rate} | {F(result.PerSecond)} | {F(result.P50)} | {F(result.P99)} | {F(result.Max)} | {result.Failed} |");
        }
    }
    return 0;
}

static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
