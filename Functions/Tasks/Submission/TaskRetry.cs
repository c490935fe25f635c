using SdServerless.Contracts.Tasks;

namespace SdServerless.Functions.Tasks.Submission;

/// <summary>Which finished tasks <c>POST /v1/tasks/{id}/retry</c> can submit again (docs/decisions/0320-task-retry.md).</summary>
public static class TaskRetry
{
    /// <summary>Failed, canceled and expired tasks; queued and running ones are still under way, succeeded ones have their images.</summary>
    public static bool IsRetryable(string status) => status is TaskStatuses.Failed or TaskStatuses.Canceled or TaskStatuses.Expired;

    /// <summary>Task types that cannot run without init images, which a task's stored request leaves out.</summary>
    public static bool NeedsInitImages(string taskType) => taskType is TaskTypes.ImageToImage or TaskTypes.ExtraSingleImage;
}
