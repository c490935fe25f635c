using SdServerless.TestSupport.ComfyUi;

namespace SdServerless.GpuWorker.Tests.Agent.ComfyUi;

/// <summary>
/// The system clock, except that a timer due after exactly <paramref name="timeout"/> fires only when the test calls
/// <see cref="Expire"/>: a run's deadline passes at a chosen moment instead of racing the machine's load.
/// </summary>
public sealed class TimeoutClock(TimeSpan timeout) : TimeProvider
{
    private readonly List<HeldTimer> _held = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != timeout)
        {
            return System.CreateTimer(callback, state, dueTime, period);
        }
        var timer = new HeldTimer(callback, state);
        lock (_held)
        {
            _held.Add(timer);
        }
        return timer;
    }

    public void Expire()
    {
        HeldTimer[] due;
        lock (_held)
        {
            due = [.. _held];
        }
        Assert.NotEmpty(due);
        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private sealed class HeldTimer(TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public void Fire()
        {
            if (!_disposed)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => !_disposed;

        public void Dispose() => _disposed = true;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
