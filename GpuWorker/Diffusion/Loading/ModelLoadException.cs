using SdServerless.GpuWorker.Diffusion.Faults;
namespace SdServerless.GpuWorker.Diffusion.Loading;

/// <summary>
/// A model folder cannot be used: a file is missing or corrupt, or the model kind is not supported. The message names the
/// file or the reason. It is an <see cref="EngineFaultException"/>: the worker's fault, never the task's.
/// </summary>
public sealed class ModelLoadException(string message, Exception? innerException = null) : EngineFaultException(message, innerException);
