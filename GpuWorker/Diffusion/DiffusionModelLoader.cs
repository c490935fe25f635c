using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>Loads and warms up the model in the background at start; a model that cannot load stops the process, loudly.</summary>
public sealed partial class DiffusionModelLoader(DiffusionEngine engine, IHostApplicationLifetime lifetime, ILogger<DiffusionModelLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Run(() => engine.Load(stoppingToken), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogLoadFailed(logger, e, e.Message);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The diffusion model could not be loaded, stopping: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string reason);
}
