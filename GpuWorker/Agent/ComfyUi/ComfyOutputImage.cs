namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>One image a node saved, as listed under <c>outputs.{node}.images</c> in <c>/history</c>.</summary>
internal sealed record ComfyOutputImage(string NodeId, string Filename, string Subfolder, string Type);
