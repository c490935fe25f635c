using SdServerless.Contracts.Tasks;
using SdServerless.GpuWorker.Agent;

namespace SdServerless.GpuWorker.Tests.Agent;

public class PriorityReceiveRuleTests
{
    [Fact]
    public void WithEveryQueueFullTenTasksAreSixHighThreeNormalAndOneLow()
    {
        var taken = Take(new PriorityReceiveRule(), 100, _ => true);

        Assert.Equal(60, taken.Count(p => p == TaskPriorities.High));
        Assert.Equal(30, taken.Count(p => p == TaskPriorities.Normal));
        Assert.Equal(10, taken.Count(p => p == TaskPriorities.Low));
    }

    [Fact]
    public void LowIsNeverStarvedWhileHighAndNormalStayFull()
    {
        var taken = Take(new PriorityReceiveRule(), 200, _ => true);

        var lows = taken.Select((priority, index) => (priority, index)).Where(t => t.priority == TaskPriorities.Low).Select(t => t.index).ToList();
        Assert.True(lows[0] < PriorityReceiveRule.Cycle.Count);
        Assert.All(lows.Zip(lows.Skip(1)), pair => Assert.Equal(PriorityReceiveRule.Cycle.Count, pair.Second - pair.First));
    }

    [Fact]
    public void AnEmptyQueueGivesItsTurnsToTheNextInLine()
    {
        var withoutHigh = Take(new PriorityReceiveRule(), 100, p => p != TaskPriorities.High);
        Assert.Equal(90, withoutHigh.Count(p => p == TaskPriorities.Normal));
        Assert.Equal(10, withoutHigh.Count(p => p == TaskPriorities.Low));

        var onlyLow = Take(new PriorityReceiveRule(), 20, p => p == TaskPriorities.Low);
        Assert.All(onlyLow, p => Assert.Equal(TaskPriorities.Low, p));
    }

    [Fact]
    public void EveryTurnTriesAllThreeWithTheOthersFromHighToLow()
    {
        var rule = new PriorityReceiveRule();
        var orders = Enumerable.Range(0, PriorityReceiveRule.Cycle.Count).Select(_ =>
        {
            var order = rule.Order();
            rule.Took();
            return string.Join(",", order);
        }).ToList();

        Assert.Equal("high,normal,low", orders[0]);
        Assert.Equal("normal,high,low", orders[1]);
        Assert.Equal("low,high,normal", orders[6]);
        Assert.All(orders, order => Assert.Equal(3, order.Split(',').Distinct().Count()));
    }

    /// <summary>Takes <paramref name="count"/> tasks, each from the first queue in the rule's order that <paramref name="hasWork"/>.</summary>
    private static List<string> Take(PriorityReceiveRule rule, int count, Func<string, bool> hasWork)
    {
        var taken = new List<string>();
        for (var i = 0; i < count; i++)
        {
            taken.Add(rule.Order().First(hasWork));
            rule.Took();
        }
        return taken;
    }
}
