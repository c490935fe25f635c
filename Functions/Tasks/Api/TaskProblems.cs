using SdServerless.Functions.Quotas;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tasks.Api;

/// <summary>
/// The RFC 9457 answers of the task routes, built in one place so <c>/v1/tasks</c> and <c>/v1alpha2</c> answer alike.
/// They are <see cref="ProblemHttpResult"/>s rather than <c>NotFound&lt;ProblemDetails&gt;</c>: only the former is written
/// as <c>application/problem+json</c>; the typed results write <c>application/json</c>.
/// </summary>
public static class TaskProblems
{
    public static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No task '{id}' for this API key.");

    /// <summary>No task can have such an id, so no store is asked.</summary>
    public static ProblemHttpResult InvalidId(string id) =>
        ValidationProblems.Single("id", $"A task id is {TaskIdRule.Description}; got {id.Length} characters{(id.Length > 64 ? "" : $" '{id}'")}.");

    public static ProblemHttpResult AlreadyFinished(string id, string status) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Task already finished",
            detail: $"Task '{id}' is {status}; only queued or running tasks can be canceled.",
            extensions: new Dictionary<string, object?> { ["task_status"] = status });

    public static ProblemHttpResult NotRetryable(string id, string status) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Task cannot be retried",
            detail: $"Task '{id}' is {status}; only failed, canceled or expired tasks can be retried.",
            extensions: new Dictionary<string, object?> { ["task_status"] = status });

    public static ProblemHttpResult InitImagesNotKept(string id, string taskType) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Task cannot be retried",
            detail: $"Task '{id}' is {taskType}, and a task's init images are not kept; submit it again with its images.",
            extensions: new Dictionary<string, object?> { ["task_type"] = taskType });

    public static ProblemHttpResult ClaimCheckGone(string id, IReadOnlyList<string> parts) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Task cannot be retried",
            detail: $"Task '{id}' kept {string.Join(", ", parts)} only with its message, which has expired; submit it again with them.",
            extensions: new Dictionary<string, object?> { ["claim_checked"] = parts });

    /// <summary>The problem a submit outcome answers with, or null when the task was created or replayed.</summary>
    public static ProblemHttpResult? ForSubmit(SubmitOutcome outcome, HttpContext context) => outcome.Result switch
    {
        SubmitResult.OverQuota => QuotaProblems.TooManyRequests(context, outcome.Refusal!),
        SubmitResult.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: outcome.Problem),
        SubmitResult.PublishFailed => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Task could not be queued",
            detail: outcome.Problem, extensions: new Dictionary<string, object?> { ["task_id"] = outcome.Task!.Id }),
        _ => null,
    };
}
