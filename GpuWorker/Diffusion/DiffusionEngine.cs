using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.GpuWorker.Diffusion.Models;
using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Loading;

namespace SdServerless.GpuWorker.Diffusion;

/// <summary>
/// The process's one diffusion engine: loads the model once (<see cref="Load"/>, run at start by
/// <see cref="DiffusionModelLoader"/>), warms it up, then serves requests one at a time. Requests that arrive while
/// the model loads wait for it.
/// </summary>
/// <param name="source">Where the model comes from when not <see cref="DiffusionOptions.ModelPath"/> (the queue agent's runtime model).</param>
public sealed partial class DiffusionEngine(IOptions<DiffusionOptions> options, ILogger<DiffusionEngine> logger, IModelSource? source = null) : IDisposable
{
    private readonly TaskCompletionSource<StableDiffusionPipeline> loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Lock loadLock = new();
    private bool loadStarted;

    public bool IsLoaded => loaded.Task.IsCompletedSuccessfully;

    /// <summary>Why loading failed, if it did.</summary>
    public Exception? LoadFailure => loaded.Task.IsFaulted ? loaded.Task.Exception!.InnerException : null;

    /// <summary>What the loaded model accepts (family, native size, limits), for the runtime catalogue; null until loaded.</summary>
    public DiffusionModelFacts? Facts => IsLoaded ? loaded.Task.Result.Facts : null;

    /// <summary>"cuda" or "cpu", once loaded.</summary>
    public string? ExecutionProvider { get; private set; }

    /// <summary>Loads the model and runs the warm-up generation; a second call does nothing.</summary>
    public void Load(CancellationToken cancellationToken)
    {
        lock (loadLock)
        {
            if (loadStarted)
            {
                return;
            }

            loadStarted = true;
        }

        try
        {
            var settings = options.Value;
            var modelPath = source is null ? settings.ModelPath : source.GetFolderAsync(cancellationToken).GetAwaiter().GetResult();
            var folder = ModelLocator.Resolve(modelPath, settings, logger);
            var stopwatch = Stopwatch.StartNew();
            var providers = new ExecutionProviders(settings, logger);
            var pipeline = new StableDiffusionPipeline(StableDiffusionModel.Load(folder, providers));
            ExecutionProvider = providers.Active;
            LogLoaded(logger, pipeline.Model.Name, folder, providers.Active, providers.IntraOpThreads, stopwatch.ElapsedMilliseconds);
            WarmUp(pipeline, settings, cancellationToken);
            loaded.TrySetResult(pipeline);
        }
        catch (Exception e)
        {
            loaded.TrySetException(e);
            throw;
        }
    }

    /// <summary>Completes when the model is loaded and warmed up; throws the load failure (a <see cref="ModelLoadException"/> or other <see cref="EngineFaultException"/>).</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => loaded.Task.WaitAsync(cancellationToken);

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        var pipeline = await loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var result = await Task.Run(() => pipeline.Run(request, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
            LogGenerated(logger, result.Images.Count, request.Width, request.Height, request.Steps, request.Sampler, stopwatch.ElapsedMilliseconds);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        if (loaded.Task.IsCompletedSuccessfully)
        {
            loaded.Task.Result.Dispose();
        }

        gate.Dispose();
    }

    /// <summary>Warm-up generations run at load, until steady; 0 before load or when warm-up is off.</summary>
    public int WarmupRuns { get; private set; }

    /// <summary>
    /// Guided generations at the warm-up size (the model's native size unless set), repeated until one is no slower than
    /// <see cref="DiffusionOptions.SteadyWarmupRatio"/> times the one before, at least two and at most
    /// <see cref="DiffusionOptions.WarmupMaxRuns"/>: the first runs of a shape pay for ONNX Runtime's allocations and kernel choices.
    /// </summary>
    private void WarmUp(StableDiffusionPipeline pipeline, DiffusionOptions settings, CancellationToken cancellationToken)
    {
        if (settings.WarmupSteps <= 0)
        {
            return;
        }

        var size = settings.WarmupSize > 0 ? settings.WarmupSize : pipeline.Model.NativeSize;
        var maxRuns = Math.Max(2, settings.WarmupMaxRuns);
        var previous = TimeSpan.MaxValue;
        try
        {
            // Guided, as most requests are (UNet batch 2); a Turbo model runs without guidance and at most 4 steps.
            var facts = pipeline.Facts;
            var steps = Math.Min(settings.WarmupSteps, facts.MaxSteps);
            var cfg = Math.Min(7f, facts.MaxCfgScale);
            var request = new GenerationRequest("warm-up", null, size, size, steps, cfg, 0, "Euler", 1, 0, null);
            for (var run = 1; run <= maxRuns; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                pipeline.Run(request, null, cancellationToken);
                var elapsed = stopwatch.Elapsed;
                WarmupRuns = run;
                LogWarmedUp(logger, run, size, (long)elapsed.TotalMilliseconds);
                if (run >= 2 && elapsed.TotalMilliseconds <= previous.TotalMilliseconds * settings.SteadyWarmupRatio)
                {
                    break;
                }

                previous = elapsed;
            }
        }
        catch (EngineFaultException e) when (e is not ModelLoadException)
        {
            throw new ModelLoadException($"Model {pipeline.Model.Name} loaded but its warm-up generation at {size}x{size} failed: {e.Message}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {ModelName} from {ModelFolder} on {ExecutionProvider} with {IntraOpThreads} intra-op threads in {ElapsedMs} ms")]
    private static partial void LogLoaded(ILogger logger, string modelName, string modelFolder, string executionProvider, int intraOpThreads, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up generation {Run} at {Size}x{Size} took {ElapsedMs} ms")]
    private static partial void LogWarmedUp(ILogger logger, int run, int size, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated {ImageCount} image(s) {Width}x{Height}, {Steps} steps of {Sampler}, in {ElapsedMs} ms")]
    private static partial void LogGenerated(ILogger logger, int imageCount, int width, int height, int steps, string sampler, long elapsedMs);
}
