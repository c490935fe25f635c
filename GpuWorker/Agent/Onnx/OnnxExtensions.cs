using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Diffusion;

namespace SdServerless.GpuWorker.Agent.Onnx;

public static class OnnxExtensions
{
    /// <summary>
    /// The generator of an <c>onnx</c> runtime: the built-in diffusion engine, its model synced from <c>Worker:Model</c>
    /// or the runtime's catalogue entry, which is held to the model's facts once it is loaded (<see cref="EngineTaskGenerator"/>).
    /// </summary>
    public static IHostApplicationBuilder AddOnnxGenerator(this IHostApplicationBuilder builder, RuntimeDefinition? entry)
    {
        if (entry is not null)
        {
            builder.Services.AddSingleton(entry);
        }
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Diffusion:ModelPath"]))
        {
            throw new InvalidOperationException("The worker's model is Worker:Model (a folder or s3:// prefix) or its runtime's model in the catalogue; Diffusion:ModelPath is for the engine alone.");
        }
        builder.Services.AddSingleton<IModelSource, ModelSync>();
        builder.AddDiffusionEngine();
        builder.Services.AddSingleton<ITaskGenerator, EngineTaskGenerator>();
        return builder;
    }
}
