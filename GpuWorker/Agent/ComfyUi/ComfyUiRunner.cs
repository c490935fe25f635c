using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdServerless.Contracts.Runtimes;
using SdServerless.GpuWorker.Diffusion;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

/// <summary>
/// Runs a ComfyUI API-format workflow on a ComfyUI runtime and returns the images it saved, each fetched only when the
/// caller stores it. Follows the prompt on the websocket and falls back to polling <c>/history</c> when the socket cannot
/// be opened or drops. Each run has a folder of its own under ComfyUI's input and output folders (its inputs under names
/// the worker chose, its save nodes pointed there), deleted with the prompt's history entry when the result is disposed
/// or the run fails.
/// </summary>
/// <remarks>
/// Failures: a workflow ComfyUI rejects (<c>workflow_invalid</c>), a node that raises (<c>workflow_failed</c>), an input
/// it refuses (<c>workflow_input_rejected</c>), a run that saves no image (<c>workflow_no_images</c>), more images than the
/// runtime returns (<c>too_many_outputs</c>) or a larger one (<c>output_too_large</c>) is a
/// <see cref="GenerationInputException"/>: the task's own fault. A run longer than <see cref="ComfyUiOptions.TimeoutSeconds"/>
/// is interrupted and ends in a <see cref="RuntimeTimeoutException"/> (retried once, then the task's fault); 5xx answers, refused connections, malformed answers, a node that runs out of GPU
/// memory and a prompt interrupted by someone else are <see cref="HttpRequestException"/>: the worker's fault, worth
/// another try.
/// </remarks>
public sealed partial class ComfyUiRunner(
    HttpClient http, IOptions<ComfyUiOptions> options, TimeProvider time, ILogger<ComfyUiRunner> logger, RuntimeWorkflows? workflows = null)
{
    private readonly RuntimeWorkflows _rules = workflows ?? RuntimeWorkflows.Default;
    private static readonly TimeSpan SocketGreetingWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CancelBudget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan QueueBudget = TimeSpan.FromSeconds(30);

    private readonly ComfyUiApi _api = new(http);
    private readonly RuntimeReadiness _readiness = new($"ComfyUI at {http.BaseAddress}", new ComfyUiApi(http).IsReadyAsync,
        TimeSpan.FromSeconds(options.Value.ReadyTimeoutSeconds), TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), time, logger);

    public async Task<TaskImages> RunAsync(ComfyWorkflowRequest request, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        // 1. Check the workflow and inputs
        var workflow = ComfyWorkflow.CheckedCopy(request, _rules);
        var seed = ComfyWorkflow.Seed(workflow);

        // 2. Wait for ComfyUI
        await WaitUntilReadyAsync(cancellationToken);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.TimeoutSeconds), time);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string? promptId = null;
        var folder = new ComfyTaskFolder(request.TaskId, options.Value.WorkspaceDirectory);
        var handedOver = false;
        try
        {
            // 3. The task's own folder; inputs uploaded there under names the worker chose, save nodes pointed there
            folder.Create();
            ComfyWorkflow.UseTaskFolder(workflow, folder.Name);
            for (var i = 0; i < request.Inputs.Count; i++)
            {
                var input = request.Inputs[i];
                var uploaded = await _api.UploadImageAsync(input, $"{i}{Extension(input.Data)}", folder.Name, run.Token);
                ComfyWorkflow.UseUploaded(workflow, input.Name, uploaded);
                LogUploaded(logger, input.Name, uploaded, input.Data.Length);
            }

            // 4. Open the websocket, then queue the prompt on it
            var clientId = Guid.NewGuid().ToString("N");
            await using var socket = await TryConnectAsync(clientId, run.Token);
            // Not abandoned on cancel or timeout: a prompt queued while its id was on the way back could not be taken off again.
            using (var queueing = new CancellationTokenSource(QueueBudget, time))
            {
                (promptId, var nodeErrors) = await _api.QueuePromptAsync(workflow, clientId, queueing.Token);
                LogQueued(logger, promptId, clientId, socket is not null);
                if (nodeErrors is not null)
                {
                    LogPartialNodeErrors(logger, promptId, nodeErrors.ToJsonString());
                }
            }
            run.Token.ThrowIfCancellationRequested();

            // 5. Follow it until it has finished
            if (socket is not null)
            {
                await FollowSocketAsync(socket, promptId, progress, run.Token);
            }
            var entry = await PollHistoryAsync(promptId, run.Token);

            // 6. Fetch the saved images
            var images = entry.Outcome switch
            {
                ComfyPromptOutcome.Failed => throw ComfyErrors.ExecutionFailure(entry.Error),
                ComfyPromptOutcome.Interrupted => throw Interrupted(promptId),
                _ when entry.Images.Count == 0 => throw new GenerationInputException("workflow_no_images",
                    "The workflow finished without saving an image (it needs a SaveImage node or another node that writes to the output folder)."),
                _ => entry.Images,
            };
            if (images.Count > _rules.MaxOutputs)
            {
                // Before any is stored: every output is listed in the result message, which must stay within SNS's limit.
                throw new GenerationInputException("too_many_outputs",
                    $"The workflow saved {images.Count} images; this runtime returns at most {_rules.MaxOutputs}.");
            }
            LogFinished(logger, promptId, images.Count);
            var finished = promptId;
            handedOver = true;
            return new TaskImages([.. images.Select(image => new TaskImage(seed, ct => _api.ViewAsync(image, _rules.MaxOutputBytes, ct)))],
                promptTokens: null, () => CleanUpAsync(folder, finished));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelPromptAsync(promptId, "canceled");
            throw;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            // Interrupted (or taken off the queue) so the runtime stops spending the GPU; the handler retries once.
            await CancelPromptAsync(promptId, "timed out");
            throw new RuntimeTimeoutException($"The ComfyUI workflow did not finish within {options.Value.TimeoutSeconds} s (prompt {promptId ?? "not queued"}).", ex);
        }
        catch (HttpRequestException)
        {
            // ComfyUI may be restarting: the next run waits for it again. A prompt it still holds would run unwatched
            // beside the retry.
            _readiness.Reset();
            await CancelPromptAsync(promptId, "abandoned");
            throw;
        }
        finally
        {
            if (!handedOver)
            {
                await CleanUpAsync(folder, promptId);
            }
        }
    }

    /// <summary>Deletes the task's folders and the prompt's history entry; best effort, within a short budget of its own.</summary>
    private async Task CleanUpAsync(ComfyTaskFolder folder, string? promptId)
    {
        if (promptId is not null)
        {
            using var budget = new CancellationTokenSource(CancelBudget);
            try
            {
                await _api.DeleteHistoryAsync(promptId, budget.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                LogCleanUpFailed(logger, folder.Name, ex.Message);
            }
        }
        if (folder.Delete() is { } fault)
        {
            LogCleanUpFailed(logger, folder.Name, fault);
        }
        else if (folder.IsShared)
        {
            LogCleanedUp(logger, folder.Name);
        }
    }

    /// <summary>The file extension ComfyUI should see: the fetched inputs are PNG or JPEG (checked from their headers).</summary>
    private static string Extension(byte[] data) => data is [0xFF, 0xD8, ..] ? ".jpg" : ".png";

    private async Task<ComfyUiSocket?> TryConnectAsync(string clientId, CancellationToken cancellationToken)
    {
        ComfyUiSocket socket;
        try
        {
            socket = await ComfyUiSocket.ConnectAsync(_api.BaseAddress, clientId, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or HttpRequestException or IOException)
        {
            LogSocketUnavailable(logger, ex.Message);
            return null;
        }
        try
        {
            // ComfyUI greets a socket with a "status" message once it has registered it; a prompt queued before that
            // could send its first messages nowhere.
            using var greeting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            greeting.CancelAfter(SocketGreetingWait);
            await socket.Messages.WaitToReadAsync(greeting.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No greeting: follow on the socket anyway, the idle check and /history cover what it misses.
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
        return socket;
    }

    /// <summary>Reads socket messages until the prompt is done, the socket ends (the caller then polls) or a node fails.</summary>
    private async Task FollowSocketAsync(ComfyUiSocket socket, string promptId, IProgress<DenoiseProgress>? progress, CancellationToken cancellationToken)
    {
        var idleCheck = TimeSpan.FromSeconds(options.Value.SocketIdleCheckSeconds);
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(idleCheck);
            bool more;
            try
            {
                more = await socket.Messages.WaitToReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (await _api.GetHistoryAsync(promptId, cancellationToken) is not null)
                {
                    return;
                }
                continue;
            }
            if (!more)
            {
                LogSocketEnded(logger, promptId, socket.EndReason);
                return;
            }

            while (socket.Messages.TryRead(out var message))
            {
                if (message.PromptId is { } about && about != promptId)
                {
                    continue;
                }
                switch (message.Type)
                {
                    case "progress" when message.Data["value"] is JsonValue value && message.Data["max"] is JsonValue max
                        && value.TryGetValue<int>(out var step) && max.TryGetValue<int>(out var steps) && steps > 0:
                        progress?.Report(new DenoiseProgress(step, steps));
                        break;
                    case "executing" when message.Data["node"] is null && message.PromptId == promptId:
                    case "execution_success" when message.PromptId == promptId:
                        return;
                    case "execution_error" when message.PromptId == promptId:
                        throw ComfyErrors.ExecutionFailure(message.Data);
                    case "execution_interrupted" when message.PromptId == promptId:
                        throw Interrupted(promptId);
                }
            }
        }
    }

    /// <summary>Reads <c>/history/{prompt_id}</c> until the prompt appears there, which ComfyUI does when it has finished.</summary>
    private async Task<ComfyHistoryEntry> PollHistoryAsync(string promptId, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await _api.GetHistoryAsync(promptId, cancellationToken) is { } entry)
            {
                return entry;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), time, cancellationToken);
        }
    }

    /// <summary>Takes a queued prompt off the queue, or interrupts it if it runs; best effort, within a short budget of its own.</summary>
    private async Task CancelPromptAsync(string? promptId, string why)
    {
        if (promptId is null)
        {
            return;
        }
        using var budget = new CancellationTokenSource(CancelBudget);
        try
        {
            var place = await _api.GetQueuePlaceAsync(promptId, budget.Token);
            if (place == ComfyQueuePlace.Pending)
            {
                await _api.DeleteFromQueueAsync(promptId, budget.Token);
                LogCanceled(logger, promptId, why, "deleted from the queue");
                // It may have started between the two calls.
                place = await _api.GetQueuePlaceAsync(promptId, budget.Token);
            }
            if (place == ComfyQueuePlace.Running)
            {
                await _api.InterruptAsync(promptId, budget.Token);
                LogCanceled(logger, promptId, why, "interrupted");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogCancelFailed(logger, promptId, ex.Message);
        }
    }

    /// <summary>Waits until ComfyUI answers <c>/system_stats</c>, at most <see cref="ComfyUiOptions.ReadyTimeoutSeconds"/>; <see cref="RunAsync"/> calls it too.</summary>
    /// <exception cref="HttpRequestException">ComfyUI did not become ready in time.</exception>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => _readiness.WaitAsync(cancellationToken);

    private static HttpRequestException Interrupted(string promptId) =>
        new($"ComfyUI interrupted prompt {promptId}, though this worker did not ask it to.");
}
