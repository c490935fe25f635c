using SdServerless.Functions.Tasks.Live;

namespace SdServerless.Functions.Tests.Tasks.Live;

public class TaskSignalsTests
{
    [Fact]
    public async Task ASubscriberHearsItsOwnTaskOnly()
    {
        var signals = new TaskSignals(fed: true);
        using var subscription = signals.Subscribe("a");

        signals.Publish(new TaskSignal("b", TaskSignalKind.Ended));
        signals.Publish(new TaskSignal("a", TaskSignalKind.Progress, 3, 10));

        var heard = await subscription.NextAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(new TaskSignal("a", TaskSignalKind.Progress, 3, 10), heard);
        Assert.Null(await subscription.NextAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public void DisposedSubscriptionsLeaveNothingBehind()
    {
        var signals = new TaskSignals(fed: true);
        var first = signals.Subscribe("a");
        var second = signals.Subscribe("a");
        Assert.Equal(1, signals.WatchedTasks);

        first.Dispose();
        Assert.Equal(1, signals.WatchedTasks);
        second.Dispose();
        Assert.Equal(0, signals.WatchedTasks);
    }
}
