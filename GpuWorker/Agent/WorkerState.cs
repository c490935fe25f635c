namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// What readiness reports about the queue agent: whether its generator is ready, whether its queue answers, whether
/// it is paused after a fault of its own, and whether it is draining for shutdown.
/// </summary>
/// <param name="faultPause">How long a worker pauses after a fault of its own (<c>Worker:FaultPauseSeconds</c>).</param>
public sealed class WorkerState(TimeProvider time, TimeSpan faultPause)
{
    private volatile bool _queueReachable;
    private volatile bool _draining;
    private volatile bool _generatorReady;
    private volatile string? _queueError = "no receive yet";
    private volatile string? _generatorError = "the generator is starting";
    private long _pausedUntilTicks;

    public bool QueueReachable => _queueReachable;

    public string? QueueError => _queueError;

    public bool Draining => _draining;

    public bool GeneratorReady => _generatorReady && !Paused;

    /// <summary>Why the generator is not ready: starting, failed to start, or paused after a fault.</summary>
    public string? GeneratorError => _generatorError;

    public bool Paused => PauseRemaining > TimeSpan.Zero;

    public void QueueAnswered()
    {
        _queueReachable = true;
        _queueError = null;
    }

    public void QueueFailed(string error)
    {
        _queueReachable = false;
        _queueError = error;
    }

    public void GeneratorStarted()
    {
        _generatorReady = true;
        _generatorError = null;
    }

    /// <summary>The generator could not start (a model that failed to load, or a runtime not answering yet): the worker is not ready and takes no task.</summary>
    public void GeneratorFailed(string error)
    {
        _generatorReady = false;
        _generatorError = $"failed to start: {error}";
    }

    /// <summary>A task hit a fault of this worker: report not ready and take no task for the fault pause.</summary>
    public void GeneratorFaulted(string error)
    {
        _generatorError = $"paused after a fault: {error}";
        Interlocked.Exchange(ref _pausedUntilTicks, time.GetUtcNow().Add(faultPause).UtcTicks);
    }

    public TimeSpan PauseRemaining =>
        TimeSpan.FromTicks(Math.Max(0, Interlocked.Read(ref _pausedUntilTicks) - time.GetUtcNow().UtcTicks));

    public void StartDraining() => _draining = true;
}
