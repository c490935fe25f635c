using SdServerless.Contracts.Messages;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Agent;

/// <summary>
/// What makes a task's images on this worker: the built-in engine, an AUTOMATIC1111 runtime or a ComfyUI runtime
/// beside the agent, chosen by the runtime's type in the catalogue. A fault of the task's input throws
/// <see cref="GenerationInputException"/> or <see cref="InitImageException"/>; a fault of the worker or its runtime
/// throws <see cref="EngineFaultException"/> or <see cref="HttpRequestException"/>.
/// </summary>
public interface ITaskGenerator
{
    /// <summary>Completes once tasks can run (model loaded, runtime answering); throws when they never will.</summary>
    Task WaitUntilReadyAsync(CancellationToken cancellationToken);

    /// <summary>The task's images, read one at a time when stored; the caller disposes the result once they are stored.</summary>
    Task<TaskImages> GenerateAsync(GenerateImageRequested task, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken);
}
