using SdServerless.GpuWorker.Diffusion.Loading;
namespace SdServerless.GpuWorker.Diffusion.Faults;

/// <summary>
/// The engine or the machine failed, not the task's input: ONNX Runtime raised an error while running a graph (CUDA out of
/// memory, a lost device, a kernel failure), or the model produced unusable output. The same task may well succeed on
/// another worker, so callers release it for a retry rather than failing it. <see cref="ModelLoadException"/> derives
/// from this type: a model that cannot be loaded is the worker's fault too. Input problems are
/// <see cref="GenerationInputException"/> instead, and are permanent.
/// </summary>
public class EngineFaultException(string message, Exception? innerException = null) : Exception(message, innerException);
