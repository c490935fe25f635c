namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>Where a prompt is in ComfyUI's <c>/queue</c>.</summary>
internal enum ComfyQueuePlace
{
    /// <summary>In neither list: finished, deleted, or never queued.</summary>
    Absent,
    Pending,
    Running,
}
