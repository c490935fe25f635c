using System.Text;
using System.Text.Json;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Tasks.Live;

/// <summary>
/// Writes a task's Server-Sent Events: <c>status</c> (the whole task) on each status change, <c>progress</c> on each
/// progress, a comment after <see cref="LiveOptions.KeepAliveSeconds"/> of silence; it ends after the end's event.
/// Progress comes from the signal itself; the task is read again only when it starts or ends (or, where neither the callback
/// flow in this process nor the task's channel feeds it, every <see cref="LiveOptions.UnfedReadMilliseconds"/>). A stream
/// open for <see cref="LiveOptions.MaxStreamSeconds"/> ends before the task does; the client resumes it with <c>Last-Event-ID</c>.
/// </summary>
public sealed class TaskEventStream(TaskSignals signals, TaskTable tasks, TaskViewFactory views, LiveOptions options, TimeProvider time)
{
    public const string ContentType = "text/event-stream";

    public async Task WriteAsync(TaskRecord known, TaskEventId after, HttpResponse response, CancellationToken cancellationToken)
    {
        using var subscription = await signals.SubscribeAsync(known.Id, cancellationToken);
        var task = await tasks.GetAsync(known.Id, cancellationToken) ?? known;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 2000\n\n", cancellationToken);

        var last = after;
        var keepAlive = TimeSpan.FromSeconds(Math.Max(1, options.KeepAliveSeconds));
        var lastWrite = time.GetUtcNow();
        DateTimeOffset? closeAt = options.MaxStreamSeconds > 0 ? lastWrite.AddSeconds(options.MaxStreamSeconds) : null;
        while (true)
        {
            var before = last;
            last = await WriteStateAsync(task, last, response, cancellationToken);
            if (last.Phase == 2)
            {
                return;
            }
            if (last != before)
            {
                lastWrite = time.GetUtcNow();
            }
            if (closeAt is { } close && time.GetUtcNow() >= close)
            {
                return;
            }
            var wait = subscription.Fed ? keepAlive - (time.GetUtcNow() - lastWrite) : TimeSpan.FromMilliseconds(options.UnfedReadMilliseconds);
            if (closeAt is { } closing && closing - time.GetUtcNow() < wait)
            {
                wait = closing - time.GetUtcNow();
            }
            var signal = await subscription.NextAsync(wait, cancellationToken);
            if (signal is { Kind: TaskSignalKind.Progress } && last.Phase == 1)
            {
                var id = new TaskEventId(1, signal.Step);
                if (id > last)
                {
                    await WriteProgressAsync(task.Id, signal.Step, signal.Steps, signal.At, id, response, cancellationToken);
                    last = id;
                    lastWrite = time.GetUtcNow();
                }
                continue;
            }
            // A channel's publish can fail (docs/decisions/0337): a stream fed by one also reads its task at each keep-alive,
            // so a lost end costs at most that long. This process's own hub loses nothing and needs no such read.
            var keepAliveDue = time.GetUtcNow() - lastWrite >= keepAlive;
            if (signal is not null || !subscription.Fed || (keepAliveDue && !signals.LocallyFed))
            {
                task = await tasks.GetAsync(task.Id, cancellationToken) ?? task;
            }
            if (time.GetUtcNow() - lastWrite >= keepAlive)
            {
                await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                lastWrite = time.GetUtcNow();
            }
        }
    }

    /// <summary>Writes what the task's state holds that the client has not had: its status, then its progress.</summary>
    private async Task<TaskEventId> WriteStateAsync(TaskRecord task, TaskEventId last, HttpResponse response, CancellationToken cancellationToken)
    {
        var phase = TaskEventId.PhaseOf(task.Status);
        if (phase > last.Phase)
        {
            last = new TaskEventId(phase, 0);
            var view = JsonSerializer.Serialize(views.Create(task), FunctionsJsonContext.Default.TaskView);
            await WriteEventAsync(last, "status", view, response, cancellationToken);
        }
        if (phase == 1 && task is { ProgressStep: { } step, ProgressSteps: { } steps } && new TaskEventId(1, step) > last)
        {
            last = new TaskEventId(1, step);
            await WriteProgressAsync(task.Id, step, steps, null, last, response, cancellationToken);
        }
        return last;
    }

    private static Task WriteProgressAsync(string taskId, int step, int steps, DateTimeOffset? at, TaskEventId id, HttpResponse response, CancellationToken cancellationToken)
    {
        var progress = new TaskProgressEventView(taskId, step, steps, steps > 0 ? Math.Round((double)step / steps, 4) : 0, at);
        return WriteEventAsync(id, "progress", JsonSerializer.Serialize(progress, FunctionsJsonContext.Default.TaskProgressEventView), response, cancellationToken);
    }

    private static async Task WriteEventAsync(TaskEventId id, string name, string json, HttpResponse response, CancellationToken cancellationToken)
    {
        // The JSON is written on one line (no indentation), so one data field carries it.
        var text = new StringBuilder().Append("id: ").Append(id).Append('\n')
            .Append("event: ").Append(name).Append('\n')
            .Append("data: ").Append(json).Append("\n\n").ToString();
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
