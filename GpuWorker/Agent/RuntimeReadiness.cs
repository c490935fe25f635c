using Microsoft.Extensions.Logging;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// Waits until a runtime beside the agent (AUTOMATIC1111, ComfyUI) answers its readiness probe, polling up to a
/// deadline; once it has answered, later waits return at once until <see cref="Reset"/> (the runtime failed a request
/// and may be restarting).
/// </summary>
public sealed partial class RuntimeReadiness(
    string runtime, Func<CancellationToken, Task<bool>> probe, TimeSpan timeout, TimeSpan poll, TimeProvider time, ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public void Reset() => _ready = false;

    /// <exception cref="HttpRequestException">The runtime did not answer within the timeout.</exception>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var deadline = time.GetUtcNow() + timeout;
            while (!_ready)
            {
                try
                {
                    _ready = await probe(cancellationToken);
                }
                catch (HttpRequestException ex)
                {
                    LogNotReady(logger, runtime, ex.Message);
                }
                if (!_ready)
                {
                    if (time.GetUtcNow() > deadline)
                    {
                        throw new HttpRequestException($"{runtime} did not become ready within {timeout.TotalSeconds:0} s.");
                    }
                    await Task.Delay(poll, time, cancellationToken);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(LogLevel.Information, "Waiting for {Runtime}: {Error}")]
    private static partial void LogNotReady(ILogger logger, string runtime, string error);
}
