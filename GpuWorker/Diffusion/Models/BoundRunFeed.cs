namespace SdServerless.GpuWorker.Diffusion.Models;

/// <summary>One run of a graph as <see cref="BoundRun.Diagnostics"/> reports it: the graph's path and each input's feed.</summary>
public sealed record BoundRunFeed(string GraphPath, IReadOnlyList<BoundInputFeed> Inputs);
