using Microsoft.Extensions.Logging;

namespace SdServerless.GpuWorker.Agent.ComfyUi;

public sealed partial class ComfyUiRunner
{

    [LoggerMessage(LogLevel.Debug, "Uploaded input {Name} to ComfyUI as {Uploaded} ({Bytes} bytes)")]
    private static partial void LogUploaded(ILogger logger, string name, string uploaded, int bytes);

    [LoggerMessage(LogLevel.Information, "Queued ComfyUI prompt {PromptId} for client {ClientId} (websocket: {Socket})")]
    private static partial void LogQueued(ILogger logger, string promptId, string clientId, bool socket);

    [LoggerMessage(LogLevel.Warning, "ComfyUI queued prompt {PromptId} but will skip some outputs: {NodeErrors}")]
    private static partial void LogPartialNodeErrors(ILogger logger, string promptId, string nodeErrors);

    [LoggerMessage(LogLevel.Warning, "ComfyUI websocket unavailable, following by polling /history: {Error}")]
    private static partial void LogSocketUnavailable(ILogger logger, string error);

    [LoggerMessage(LogLevel.Warning, "ComfyUI websocket ended while prompt {PromptId} ran ({Reason}), following by polling /history")]
    private static partial void LogSocketEnded(ILogger logger, string promptId, string reason);

    [LoggerMessage(LogLevel.Information, "ComfyUI prompt {PromptId} finished with {Images} images")]
    private static partial void LogFinished(ILogger logger, string promptId, int images);

    [LoggerMessage(LogLevel.Information, "ComfyUI prompt {PromptId} {Why}: {Action}")]
    private static partial void LogCanceled(ILogger logger, string promptId, string why, string action);

    [LoggerMessage(LogLevel.Debug, "Deleted the ComfyUI folders of {Folder}")]
    private static partial void LogCleanedUp(ILogger logger, string folder);

    [LoggerMessage(LogLevel.Warning, "Could not delete the ComfyUI files of {Folder}: {Error}")]
    private static partial void LogCleanUpFailed(ILogger logger, string folder, string error);

    [LoggerMessage(LogLevel.Warning, "Could not cancel ComfyUI prompt {PromptId}: {Error}")]
    private static partial void LogCancelFailed(ILogger logger, string promptId, string error);
}
