namespace SdServerless.GpuWorker.Agent;

/// <summary>What readiness reports about the queue agent: whether its queue answers, and whether it is draining for shutdown.</summary>
public sealed class WorkerState
{
    private volatile bool _queueReachable;
    private volatile bool _draining;
    private volatile string? _queueError = "no receive yet";

    public bool QueueReachable => _queueReachable;

    public string? QueueError => _queueError;

    public bool Draining => _draining;

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

    public void StartDraining() => _draining = true;
}
