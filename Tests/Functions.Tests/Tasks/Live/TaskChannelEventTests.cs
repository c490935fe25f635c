using SdServerless.Functions.Tasks.Live;

namespace SdServerless.Functions.Tests.Tasks.Live;

public class TaskChannelEventTests
{
    [Fact]
    public void SignalsTravelWhole()
    {
        var at = new DateTimeOffset(2026, 12, 6, 20, 0, 1, TimeSpan.Zero);
        TaskSignal[] signals =
        [
            new("t1", TaskSignalKind.Started),
            new("t1", TaskSignalKind.Progress, 3, 20, at),
            new("t1", TaskSignalKind.Progress, 4, 20),
            new("t1", TaskSignalKind.Ended),
        ];

        Assert.Equal(signals, signals.Select(s => TaskChannelEvent.Read(TaskChannelEvent.Write(s))));
        Assert.Equal("""{"id":"t1","kind":"progress","step":3,"steps":20,"at":"2026-12-06T20:00:01.0000000+00:00"}""", TaskChannelEvent.Write(signals[1]));
    }

    [Fact]
    public void EventsThatAreNotSignalsAreIgnored()
    {
        Assert.Null(TaskChannelEvent.Read("""{"id":"t1","kind":"exploded"}"""));
        Assert.Null(TaskChannelEvent.Read("""{"kind":"ended"}"""));
        Assert.Null(TaskChannelEvent.Read("[1,2]"));
        Assert.Null(TaskChannelEvent.Read("{"));
    }
}
