using System.CommandLine;
using System.Globalization;

namespace SdServerless.Functions.Bench;

/// <summary>The bench's settings, read from its command line.</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<int> Rates { get; init; } = [250, 500, 1000];
    public int Seconds { get; init; } = 10;
    public int ColdRuns { get; init; } = 5;
    public IReadOnlyList<string> Flavors { get; init; } = ["jit", "r2r", "aot"];
    public IReadOnlyList<string> LoadFlavors { get; init; } = ["jit"];
    public bool Publish { get; init; } = true;

    /// <summary>The command line: <c>--rates 250,500,1000 --seconds 10 --cold-runs 5 --flavors jit,r2r,aot --load-flavors jit --no-publish</c>.</summary>
    public static RootCommand Command(Func<BenchOptions, Task<int>> run)
    {
        var defaults = new BenchOptions();
        var rates = new Option<string>("--rates") { Description = "Fixed submit rates, comma-separated.", DefaultValueFactory = _ => string.Join(',', defaults.Rates) };
        var seconds = new Option<int>("--seconds") { Description = "Seconds at each rate.", DefaultValueFactory = _ => defaults.Seconds };
        var coldRuns = new Option<int>("--cold-runs") { Description = "Cold starts per flavor.", DefaultValueFactory = _ => defaults.ColdRuns };
        var flavors = new Option<string>("--flavors") { Description = "Builds to cold-start: jit, r2r, aot.", DefaultValueFactory = _ => string.Join(',', defaults.Flavors) };
        var loadFlavors = new Option<string>("--load-flavors") { Description = "Builds to load.", DefaultValueFactory = _ => string.Join(',', defaults.LoadFlavors) };
        var noPublish = new Option<bool>("--no-publish") { Description = "Use the builds already published." };
        foreach (var list in new[] { flavors, loadFlavors })
        {
            list.Validators.Add(result =>
            {
                var unknown = (result.GetValueOrDefault<string>() ?? "").Split(',').Except(AppFlavor.Names).ToList();
                if (unknown.Count > 0)
                {
                    result.AddError($"Unknown flavor(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AppFlavor.Names)}.");
                }
            });
        }
        rates.Validators.Add(result =>
        {
            if ((result.GetValueOrDefault<string>() ?? "").Split(',').Any(r => !int.TryParse(r, CultureInfo.InvariantCulture, out var rate) || rate <= 0))
            {
                result.AddError("--rates must be positive whole numbers, comma-separated.");
            }
        });
        var command = new RootCommand("Submit throughput and latency at fixed rates, and cold start of the JIT, ReadyToRun and Native AOT builds.")
        {
            rates, seconds, coldRuns, flavors, loadFlavors, noPublish,
        };
        command.SetAction((parse, _) => run(new BenchOptions
        {
            Rates = [.. parse.GetValue(rates)!.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))],
            Seconds = parse.GetValue(seconds),
            ColdRuns = parse.GetValue(coldRuns),
            Flavors = parse.GetValue(flavors)!.Split(','),
            LoadFlavors = parse.GetValue(loadFlavors)!.Split(','),
            Publish = !parse.GetValue(noPublish),
        }));
        return command;
    }
}
