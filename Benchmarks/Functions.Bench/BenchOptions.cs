using System.Globalization;

namespace SdServerless.Functions.Bench;

/// <summary>Command-line settings: <c>--rates 250,500,1000 --seconds 10 --cold-runs 5 --flavors jit,r2r,aot --load-flavor jit --no-publish</c>.</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<int> Rates { get; init; } = [250, 500, 1000];
    public int Seconds { get; init; } = 10;
    public int ColdRuns { get; init; } = 5;
    public IReadOnlyList<string> Flavors { get; init; } = ["jit", "r2r", "aot"];
    public IReadOnlyList<string> LoadFlavors { get; init; } = ["jit"];
    public bool Publish { get; init; } = true;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--rates" => options with { Rates = [.. Next().Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))] },
                "--seconds" => options with { Seconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--cold-runs" => options with { ColdRuns = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--flavors" => options with { Flavors = Next().Split(',') },
                "--load-flavors" => options with { LoadFlavors = Next().Split(',') },
                "--no-publish" => options with { Publish = false },
                var other => throw new ArgumentException($"Unknown option '{other}'."),
            };
        }
        var unknown = options.Flavors.Concat(options.LoadFlavors).Except(AppFlavor.Names).ToList();
        return unknown.Count == 0 ? options : throw new ArgumentException($"Unknown flavor(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AppFlavor.Names)}.");
    }
}
