namespace SdServerless.GpuWorker.Agent;

/// <summary>The queue agent's settings (configuration section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>The runtime this worker serves; one Deployment per runtime.</summary>
    public string Runtime { get; set; } = "sdruntime";

    /// <summary>That runtime's SQS queue URL: its normal-priority queue.</summary>
    public string QueueUrl { get; set; } = "";

    /// <summary>The runtime's high-priority queue (<c>{runtime}-high</c>); empty: the worker reads <see cref="QueueUrl"/> alone.</summary>
    public string HighQueueUrl { get; set; } = "";

    /// <summary>The runtime's low-priority queue (<c>{runtime}-low</c>); empty: the worker reads <see cref="QueueUrl"/> alone.</summary>
    public string LowQueueUrl { get; set; } = "";

    /// <summary>With priority queues: when a quick look found all of them empty, each is long-polled this long in turn (docs/decisions/0336).</summary>
    public int PriorityPollWaitSeconds { get; set; } = 1;

    /// <summary>Tasks run at once (default one per GPU).</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>Long-poll wait of each receive (SQS allows up to 20 s).</summary>
    public int ReceiveWaitSeconds { get; set; } = 20;

    /// <summary>
    /// Each receive and each heartbeat makes the message invisible for this long: the longest a task waits after its
    /// worker dies (kill -9, a lost Spot node) before another worker takes it (docs/decisions/0502-short-leases.md).
    /// </summary>
    public int VisibilityExtensionSeconds { get; set; } = 30;

    /// <summary>How often the heartbeat runs: three times per extension, so one failed call costs nothing.</summary>
    public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>After a fault of its own (engine error, runtime not answering) the worker releases the task and takes none for this long.</summary>
    public int FaultPauseSeconds { get; set; } = 30;

    /// <summary>On SIGTERM, in-flight tasks may finish within this budget; after it they are stopped and released (Spot's notice is 2 minutes).</summary>
    public int ShutdownBudgetSeconds { get; set; } = 90;

    /// <summary>
    /// A task whose workers vanished this many times while running it (killed, crashed, out of memory; never an attempt a
    /// worker handed back on shutdown) ends <c>failed</c> with <c>worker_lost</c> instead of running again.
    /// </summary>
    public int MaxCrashedAttempts { get; set; } = 5;

    /// <summary>When a transient failure leaves a message for redelivery, it becomes visible again after this delay.</summary>
    public int RetryDelaySeconds { get; set; } = 10;

    /// <summary>
    /// The longest one attempt at a task may run before it ends <c>failed</c> with <c>timeout</c>; unset, the runtime's
    /// <c>maxExecutionSeconds</c> in the catalogue (docs/decisions/0335). Null there too: no limit.
    /// </summary>
    public int? MaxExecutionSeconds { get; set; }

    /// <summary>Progress is written to the task at most this often.</summary>
    public int ProgressIntervalMilliseconds { get; set; } = 1000;

    /// <summary>
    /// The worker's one model setting: a local folder, or an <c>s3://bucket/prefix/</c> synced once into
    /// <see cref="ModelCacheDirectory"/>. Empty: the runtime's <c>model</c> in the catalogue; empty there too, the tiny model.
    /// </summary>
    public string? Model { get; set; }

    public string ModelCacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "sdserverless-models");

    /// <summary><c>onnx</c> (the built-in engine) or <c>a1111</c> (an AUTOMATIC1111-compatible HTTP runtime).</summary>
    public string Backend { get; set; } = "onnx";

    /// <summary>Name recorded on tasks this worker runs; defaults to the host name and process id.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Largest init image fetched from a URL or S3.</summary>
    public long MaxInitImageBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// Largest init image or workflow input image, in pixels (width × height, read from the PNG or JPEG header before
    /// decoding); larger images end the task failed with <c>init_image_too_large</c>.
    /// </summary>
    public long MaxInitImagePixels { get; set; } = Diffusion.Imaging.ImageHeader.DefaultMaxPixels;

    public int InitImageTimeoutSeconds { get; set; } = 30;

    /// <summary>Local dev mode: init images may come from loopback http URLs.</summary>
    public bool LocalDevMode { get; set; }
}
