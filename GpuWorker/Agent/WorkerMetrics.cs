using System.Diagnostics;
using System.Diagnostics.Metrics;
using SdServerless.ServiceDefaults.Telemetry;

namespace SdServerless.GpuWorker.Agent;

/// <summary>The worker's metrics: tasks by outcome and runtime, queue wait, run time, denoising steps and images.</summary>
public static class WorkerMetrics
{
    private static readonly Counter<long> Tasks = SdServerlessTelemetry.Meter.CreateCounter<long>(
        "sdserverless.worker.tasks", description: "Tasks the worker ended, by state and runtime");
    private static readonly Histogram<double> QueueWait = SdServerlessTelemetry.Meter.CreateHistogram<double>(
        "sdserverless.worker.queue_wait", unit: "ms", description: "Time from submit to the worker's start");
    private static readonly Histogram<double> RunTime = SdServerlessTelemetry.Meter.CreateHistogram<double>(
        "sdserverless.worker.run_time", unit: "ms", description: "Time from the worker's start to the task's end");
    private static readonly Counter<long> Steps = SdServerlessTelemetry.Meter.CreateCounter<long>(
        "sdserverless.worker.denoising_steps", description: "Denoising steps run (rate = steps per second)");
    private static readonly Counter<long> Images = SdServerlessTelemetry.Meter.CreateCounter<long>(
        "sdserverless.worker.images", description: "Images generated (rate = images per second)");

    private static readonly Histogram<double> EndToEnd = SdServerlessTelemetry.Meter.CreateHistogram<double>(
        "sdserverless.task.end_to_end", unit: "ms", description: "Time from submit to the task's end, as published once per task");

    public static void TaskEnded(string runtime, string state, TimeSpan sinceSubmit)
    {
        var tags = new TagList { { "runtime", runtime }, { "state", state } };
        Tasks.Add(1, tags);
        EndToEnd.Record(sinceSubmit.TotalMilliseconds, tags);
    }

    public static void Started(string runtime, TimeSpan queueWait) =>
        QueueWait.Record(queueWait.TotalMilliseconds, new TagList { { "runtime", runtime } });

    public static void Generated(string runtime, int steps, int images, TimeSpan runTime)
    {
        var tags = new TagList { { "runtime", runtime } };
        Steps.Add(steps, tags);
        Images.Add(images, tags);
        RunTime.Record(runTime.TotalMilliseconds, tags);
    }
}
