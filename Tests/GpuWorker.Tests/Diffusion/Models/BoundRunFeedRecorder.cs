using System.Collections.Concurrent;
using System.Diagnostics;
using SdServerless.GpuWorker.Diffusion.Models;

namespace SdServerless.GpuWorker.Tests.Diffusion.Models;

/// <summary>Records every <see cref="BoundRunFeed"/> of the graphs under one folder while it is alive.</summary>
public sealed class BoundRunFeedRecorder : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string root;
    private readonly IDisposable allListeners;
    private readonly ConcurrentQueue<BoundRunFeed> feeds = new();
    private IDisposable? subscription;

    public BoundRunFeedRecorder(string root)
    {
        this.root = root;
        allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public IReadOnlyList<BoundRunFeed> Feeds => [.. feeds];

    public void OnNext(DiagnosticListener listener)
    {
        // By name: the listener announces itself from its constructor, before BoundRun.Diagnostics holds it.
        if (listener.Name == BoundRun.DiagnosticsName)
        {
            subscription = listener.Subscribe(this, (name, path, _) => name == BoundRun.RunEvent && path is string graph && graph.StartsWith(root, StringComparison.Ordinal));
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is BoundRunFeed feed)
        {
            feeds.Enqueue(feed);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        subscription?.Dispose();
        allListeners.Dispose();
    }
}
