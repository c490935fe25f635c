namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>
/// An image the workflow reads: every node input named <c>image</c> whose value equals <paramref name="Name"/> is
/// pointed at the uploaded copy. <paramref name="Name"/> is a plain file name such as <c>init.png</c>.
/// </summary>
public sealed record ComfyInputImage(string Name, byte[] Data);
