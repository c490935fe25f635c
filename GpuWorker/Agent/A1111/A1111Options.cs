namespace SdServerless.GpuWorker.Agent.A1111;

/// <summary>An AUTOMATIC1111-compatible HTTP runtime (configuration section <c>A1111</c>).</summary>
public sealed class A1111Options
{
    public const string SectionName = "A1111";

    /// <summary>Base URL of the runtime, e.g. <c>http://127.0.0.1:7860</c> (a sidecar in the same pod).</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:7860";

    /// <summary>
    /// How long one generation may take. Past it the runtime is sent <c>/sdapi/v1/interrupt</c>; the task's first attempt
    /// to time out is retried once, a second ends the task failed with <c>timeout</c>.
    /// </summary>
    public int TimeoutSeconds { get; set; } = 600;

    /// <summary>How long the interrupt sent after a timeout or a cancel may take before it is given up.</summary>
    public int InterruptTimeoutSeconds { get; set; } = 10;

    /// <summary>How long to wait for the runtime to answer at all (it loads its model at start).</summary>
    public int ReadyTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// The most bytes read from one generation's answer (its images, base64): past it the task ends <c>failed</c> with
    /// <c>runtime_response_too_large</c>, its own fault (its size, batch and upscale chose the answer's size), before the
    /// agent's memory runs out.
    /// </summary>
    public long MaxResponseBytes { get; set; } = 160L * 1024 * 1024;

    /// <summary>How often progress is read from <c>/sdapi/v1/progress</c> while a generation runs.</summary>
    public int ProgressPollMilliseconds { get; set; } = 1000;
}
