namespace SdServerless.Functions.Bench;

/// <summary>Count, rate and percentiles of a set of latencies (milliseconds).</summary>
public sealed record LatencySummary(int Completed, int Failed, double PerSecond, double P50, double P99, double Max)
{
    public static LatencySummary From(IReadOnlyCollection<double> latencies, int failed, TimeSpan elapsed)
    {
        var sorted = latencies.Order().ToArray();
        return new LatencySummary(sorted.Length, failed, sorted.Length / elapsed.TotalSeconds,
            Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length == 0 ? double.NaN : sorted[^1]);
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
