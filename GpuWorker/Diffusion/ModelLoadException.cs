namespace SdServerless.GpuWorker.Diffusion;

/// <summary>A model folder cannot be used: a file is missing or corrupt, or the model kind is not supported. The message names the file or the reason.</summary>
public sealed class ModelLoadException(string message, Exception? innerException = null) : Exception(message, innerException);
