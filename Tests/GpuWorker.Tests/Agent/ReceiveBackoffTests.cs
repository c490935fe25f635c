using SdServerless.GpuWorker.Agent;

namespace SdServerless.GpuWorker.Tests.Agent;

public class ReceiveBackoffTests
{
    [Fact]
    public void CeilingDoublesUpToTheMaximum()
    {
        var backoff = new ReceiveBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new Random(1));

        var ceilings = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            ceilings.Add(backoff.Ceiling.TotalSeconds);
            backoff.NextDelay();
        }

        Assert.Equal([1, 2, 4, 8, 10, 10], ceilings);
    }

    [Fact]
    public void DelaysAreJitteredWithinHalfTheInitialAndTheCeiling()
    {
        var delays = Enumerable.Range(0, 200).Select(seed =>
        {
            var backoff = new ReceiveBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(seed));
            backoff.NextDelay();
            backoff.NextDelay();
            return backoff.NextDelay().TotalSeconds; // third failure: ceiling 4 s
        }).ToList();

        Assert.All(delays, d => Assert.InRange(d, 0.5, 4.0));
        Assert.True(delays.Distinct().Count() > 150, "workers that failed together must not retry together");
        Assert.True(delays.Max() - delays.Min() > 2.5, "the draws must spread over the range");
    }

    [Fact]
    public void ResetStartsOverAfterASuccessfulReceive()
    {
        var backoff = new ReceiveBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(3));
        for (var i = 0; i < 5; i++)
        {
            backoff.NextDelay();
        }

        backoff.Reset();

        Assert.Equal(0, backoff.Failures);
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Ceiling);
    }
}
