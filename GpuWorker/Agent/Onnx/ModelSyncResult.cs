namespace SdServerless.GpuWorker.Agent.Onnx;

/// <summary>Where a synced model is, and how many of its files were downloaded and how many were already there.</summary>
public sealed record ModelSyncResult(string Folder, int Downloaded, int Reused);
