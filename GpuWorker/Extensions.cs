using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Agent;
using SdServerless.GpuWorker.Agent.A1111;
using SdServerless.GpuWorker.Agent.ComfyUi;
using SdServerless.GpuWorker.Agent.Onnx;

namespace SdServerless.GpuWorker;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddTaskGenerator();
        builder.AddQueueAgent();
        return builder;
    }

    /// <summary>
    /// The generator for the runtime's type: <c>Worker:Backend</c> when set, else the type of <c>Worker:Runtime</c> in
    /// the runtime catalogue. Each type's wiring lives in its folder under <c>Agent/</c>; an ONNX runtime whose
    /// catalogue entry promises what its model cannot do takes no task.
    /// </summary>
    private static IHostApplicationBuilder AddTaskGenerator(this IHostApplicationBuilder builder)
    {
        var catalog = RuntimeCatalog.Load(RuntimeCatalog.PathFrom(builder.Configuration[RuntimeCatalog.PathSetting]));
        var runtime = builder.Configuration["Worker:Runtime"] ?? new WorkerOptions().Runtime;
        builder.Services.PostConfigure<WorkerOptions>(worker => worker.MaxExecutionSeconds ??= catalog.Find(runtime)?.MaxExecutionSeconds);
        var backend = builder.Configuration["Worker:Backend"] is { Length: > 0 } configured ? configured.ToLowerInvariant() : catalog.Get(runtime).Type;
        if (catalog.Find(runtime) is { } limits)
        {
            // The runtime's own input limits (catalogue maxInputBytes, maxInputMegapixels) tighten the worker's, never loosen them.
            builder.Services.PostConfigure<WorkerOptions>(worker =>
            {
                worker.MaxInitImageBytes = Math.Min(worker.MaxInitImageBytes, limits.MaxInputBytes);
                worker.MaxInitImagePixels = Math.Min(worker.MaxInitImagePixels, limits.MaxInputPixels);
            });
        }
        return backend switch
        {
            RuntimeTypes.Onnx => builder.AddOnnxGenerator(catalog.Find(runtime)),
            RuntimeTypes.A1111 => builder.AddA1111Generator(),
            RuntimeTypes.ComfyUi => builder.AddComfyUiGenerator(catalog.Find(runtime)),
            _ => throw new RuntimeCatalogException($"Worker:Backend '{backend}' is not a runtime type; use one of {string.Join(", ", RuntimeTypes.All)}."),
        };
    }
}
