namespace SdServerless.GpuWorker.Agent;

/// <summary>An init image that cannot be used: the task fails with this reason.</summary>
public sealed class InitImageException(string message, Exception? inner = null) : Exception(message, inner);
