using SdServerless.Functions.Callbacks.Webhooks;

namespace SdServerless.Functions.Tests.Callbacks.Webhooks;

public class WebhookRetryScheduleTests
{
    [Fact]
    public void DefaultScheduleBacksOffAndEndsWithinADay()
    {
        var schedule = new WebhookRetrySchedule(WebhooksOptions.DefaultRetryDelays);

        Assert.Equal(TimeSpan.FromSeconds(5), schedule.DelayAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.DelayAfter(2));
        Assert.Null(schedule.DelayAfter(schedule.MaxAttempts));
        var total = Enumerable.Range(1, schedule.MaxAttempts - 1).Select(a => schedule.DelayAfter(a)!.Value).Aggregate(TimeSpan.Zero, (x, y) => x + y);
        Assert.InRange(total, TimeSpan.FromHours(20), TimeSpan.FromHours(24));
    }

    [Fact]
    public void DelaysAreCutToTheLongestVisibilityTimeout()
    {
        var schedule = new WebhookRetrySchedule([TimeSpan.FromDays(1)]);

        Assert.Equal(TimeSpan.FromHours(12), schedule.DelayAfter(1));
        Assert.Null(schedule.DelayAfter(2));
        Assert.Equal(2, schedule.MaxAttempts);
    }
}
