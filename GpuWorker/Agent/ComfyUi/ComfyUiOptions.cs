namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>A ComfyUI runtime beside the worker (configuration section <c>ComfyUi</c>).</summary>
public sealed class ComfyUiOptions
{
    public const string SectionName = "ComfyUi";

    /// <summary>Base URL of ComfyUI, e.g. <c>http://127.0.0.1:8188</c> (a sidecar in the same pod).</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:8188";

    /// <summary>How long to wait for ComfyUI to answer <c>/system_stats</c> at all (it loads its nodes at start).</summary>
    public int ReadyTimeoutSeconds { get; set; } = 300;

    /// <summary>How long one workflow may take, from the first upload to the last image fetched.</summary>
    public int TimeoutSeconds { get; set; } = 600;

    /// <summary>Pause between readiness checks, and between <c>/history</c> reads when the websocket is unavailable.</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>
    /// ComfyUI's working folder as this agent sees it (shared with the runtime), holding the <c>input</c> and
    /// <c>output</c> folders ComfyUI was started with (<c>--input-directory</c>, <c>--output-directory</c>). Each task's
    /// inputs and outputs live in a subfolder of each, deleted when the task is done. Empty: the agent cannot see them,
    /// and only ComfyUI's own history entry is deleted.
    /// </summary>
    public string WorkspaceDirectory { get; set; } = "";

    /// <summary>While the websocket stays silent this long, <c>/history</c> is read once in case a message was missed.</summary>
    public int SocketIdleCheckSeconds { get; set; } = 15;
}
