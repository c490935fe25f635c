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

    /// <summary>While the websocket stays silent this long, <c>/history</c> is read once in case a message was missed.</summary>
    public int SocketIdleCheckSeconds { get; set; } = 15;
}
