using Microsoft.AspNetCore.Mvc;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Live;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tasks.Validation;
using SdServerless.Functions.Tasks.Views;
using SdServerless.Functions.Uploads;

namespace SdServerless.Functions.Tasks.Api;

public static class TasksApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/tasks").AddEndpointFilter<RequireApiKeyFilter>().WithTags("Tasks");

        api.MapPost("", SubmitTask)
            .WithName("SubmitTask")
            .WithSummary("Submit an image generation task")
            .WithDescription("Validates the request, stores the task as queued and routes it to its runtime's queue for its priority. Send Idempotency-Key to make retries safe, and Cancel-After (a duration such as 90s or 5m) or the deadline field to bound how long the result is worth waiting for. "
                + "Send Prefer: wait=N (N at most 60; a bare wait means 60) to have the answer wait up to N seconds for the task's end: 200 with the whole task if it ended, else 202; both with Preference-Applied.")
            .Accepts<SubmitTaskRequest>("application/json")
            .WithPreferWaitHeader()
            .ProducesSubmitProblems();

        api.MapGet("/{id}", GetTask)
            .WithName("GetTask")
            .WithSummary("Get a task's status, progress and outputs")
            .WithDescription("Send Prefer: wait=N to have the answer wait up to N seconds for the task's end (then with Preference-Applied); it is 200 with the task as it is either way.")
            .WithPreferWaitHeader()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("", ListTasks)
            .WithName("ListTasks")
            .WithSummary("List the caller's tasks, newest first")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapDelete("/{id}", CancelTask)
            .WithName("CancelTask")
            .WithSummary("Cancel a queued or running task")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/{id}/retry", RetryTask)
            .WithName("RetryTask")
            .WithSummary("Submit a failed, canceled or expired task again as a new task")
            .WithDescription("Creates a new task with the original's parameters (seed -1 stays -1, so a random seed is drawn again), linked by retry_of and retried_by. Send Idempotency-Key to make retries of this call safe. The new task counts against the key's quotas as a submit does (429 with Retry-After).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    public static async Task<Results<Ok<TaskView>, Accepted<TaskView>, ProblemHttpResult>> SubmitTask(
        HttpContext context,
        [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey,
        [FromHeader(Name = TaskTimingRule.CancelAfterHeader)] string? cancelAfter,
        [AsParameters] TaskServices services,
        [FromServices] TaskEndWaiter waiter,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, FunctionsJsonContext.Default.SubmitTaskRequest, services.Options.MaxRequestBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new ValidationErrors();
        if (idempotencyKey is not null && !IdempotencyKeyHeader.IsValid(idempotencyKey))
        {
            errors.Add(IdempotencyKeyHeader.Name, "Idempotency-Key must be 1 to 255 visible ASCII characters.");
        }
        request = await services.Uploads.ResolveAsync(request!, CallerFeature.OwnerOf(context), errors, cancellationToken);
        if (!errors.IsEmpty)
        {
            return ValidationProblems.From(errors);
        }
        var submission = services.Validator.Validate(request, CallerFeature.OwnerOf(context), errors, cancelAfter);
        if (submission is null || !errors.IsEmpty)
        {
            return ValidationProblems.From(errors);
        }

        var outcome = await services.Submitter.SubmitAsync(submission, CallerFeature.OwnerOf(context), idempotencyKey, cancellationToken);
        if (TaskProblems.ForSubmit(outcome, context) is { } refused)
        {
            return refused;
        }
        if (outcome.Result == SubmitResult.Replayed)
        {
            context.Response.Headers[IdempotencyKeyHeader.ReplayedHeader] = "true";
        }
        var task = outcome.Task!;
        if (waiter.RequestedSeconds(context.Request) is { } seconds)
        {
            task = await waiter.WaitAsync(task.Id, task, TimeSpan.FromSeconds(seconds), cancellationToken) ?? task;
            context.Response.Headers[PreferWait.AppliedHeader] = PreferWait.Applied(seconds);
            if (TaskStatuses.IsTerminal(task.Status))
            {
                return TypedResults.Ok(services.Views.Create(task));
            }
        }
        return TypedResults.Accepted($"/v1/tasks/{task.Id}", services.Views.Create(task));
    }

    public static async Task<Results<Accepted<TaskView>, ProblemHttpResult>> RetryTask(
        string id,
        HttpContext context,
        [FromHeader(Name = IdempotencyKeyHeader.Name)] string? idempotencyKey,
        [AsParameters] TaskServices services,
        CancellationToken cancellationToken)
    {
        if (!TaskIdRule.IsValid(id))
        {
            return TaskProblems.InvalidId(id);
        }
        if (idempotencyKey is not null && !IdempotencyKeyHeader.IsValid(idempotencyKey))
        {
            return ValidationProblems.Single(IdempotencyKeyHeader.Name, "Idempotency-Key must be 1 to 255 visible ASCII characters.");
        }
        var owner = CallerFeature.OwnerOf(context);
        var original = await services.Tasks.GetAsync(id, cancellationToken);
        if (original is null || original.Owner != owner)
        {
            return TaskProblems.NotFound(id);
        }
        if (!TaskRetry.IsRetryable(original.Status))
        {
            return TaskProblems.NotRetryable(id, original.Status);
        }
        if (TaskRetry.NeedsInitImages(original.TaskType))
        {
            return TaskProblems.InitImagesNotKept(id, original.TaskType);
        }
        var (stored, missing) = await services.StoredRequests.ReadAsync(original, cancellationToken);
        if (stored is null)
        {
            return TaskProblems.ClaimCheckGone(id, missing);
        }
        var errors = new ValidationErrors();
        var submission = services.Validator.ValidateRetry(stored, original.Id, errors);
        if (submission is null || !errors.IsEmpty)
        {
            return ValidationProblems.From(errors);
        }

        var outcome = await services.Submitter.SubmitAsync(submission, owner, idempotencyKey, cancellationToken);
        if (outcome.Task is { } retry && retry.RetryOf == original.Id)
        {
            // Also on a replay: the first call may have stopped between its submit and this write.
            await services.Tasks.LinkRetryAsync(original.Id, owner, retry.Id, CancellationToken.None);
        }
        if (TaskProblems.ForSubmit(outcome, context) is { } refused)
        {
            return refused;
        }
        if (outcome.Result == SubmitResult.Replayed)
        {
            context.Response.Headers[IdempotencyKeyHeader.ReplayedHeader] = "true";
        }
        return TypedResults.Accepted($"/v1/tasks/{outcome.Task!.Id}", services.Views.Create(outcome.Task));
    }

    public static async Task<Results<Ok<TaskView>, ProblemHttpResult>> GetTask(
        string id, HttpContext context, [AsParameters] TaskServices services, [FromServices] TaskEndWaiter waiter, CancellationToken cancellationToken)
    {
        if (!TaskIdRule.IsValid(id))
        {
            return TaskProblems.InvalidId(id);
        }
        var task = await services.Tasks.GetAsync(id, cancellationToken);
        if (task is null || task.Owner != CallerFeature.OwnerOf(context))
        {
            return TaskProblems.NotFound(id);
        }
        if (waiter.RequestedSeconds(context.Request) is { } seconds)
        {
            task = await waiter.WaitAsync(task.Id, task, TimeSpan.FromSeconds(seconds), cancellationToken) ?? task;
            context.Response.Headers[PreferWait.AppliedHeader] = PreferWait.Applied(seconds);
        }
        return TypedResults.Ok(services.Views.Create(task));
    }

    public static async Task<Results<Ok<TaskListView>, ProblemHttpResult>> ListTasks(
        [AsParameters] ListTasksQuery query, HttpContext context, [AsParameters] TaskServices services, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var limit = DefaultPageSize;
        if (query.Limit is not null && (!int.TryParse(query.Limit, out limit) || limit is < 1 or > MaxPageSize))
        {
            errors.Add("limit", $"limit must be a whole number from 1 to {MaxPageSize}.");
        }
        if (query.Status is not null && !TaskStatuses.All.Contains(query.Status, StringComparer.Ordinal))
        {
            errors.Add("status", $"Unknown status '{CallerText.Shorten(query.Status, 40)}'; one of: {string.Join(", ", TaskStatuses.All)}.");
        }
        if (query.Cursor is { Length: > InputLimits.MaxCursorLength })
        {
            errors.Add("cursor", "cursor is not one this API handed out; pass next_cursor from the previous page.");
        }
        if (!errors.IsEmpty)
        {
            return ValidationProblems.From(errors);
        }
        TaskPage page;
        try
        {
            page = await services.Listing.ListByOwnerAsync(CallerFeature.OwnerOf(context), query.Status, limit, query.Cursor, cancellationToken);
        }
        catch (ArgumentException)
        {
            return ValidationProblems.Single("cursor", "cursor is not one this API handed out; pass next_cursor from the previous page.");
        }
        return TypedResults.Ok(new TaskListView([.. page.Tasks.Select(services.Views.Create)], page.NextCursor));
    }

    public static async Task<Results<Ok<TaskView>, ProblemHttpResult>> CancelTask(
        string id, HttpContext context, [AsParameters] TaskServices services, [FromServices] TaskSignals signals, CancellationToken cancellationToken)
    {
        if (!TaskIdRule.IsValid(id))
        {
            return TaskProblems.InvalidId(id);
        }
        var outcome = await services.Tasks.CancelAsync(id, CallerFeature.OwnerOf(context), services.Time.GetUtcNow(), cancellationToken);
        if (outcome.Result == CancelResult.Canceled)
        {
            // A task canceled while queued has no result until a worker receives its message, which may be much later.
            await services.Quotas.ReleaseAsync(outcome.Task!, CancellationToken.None);
            // A cancel ends the task here, with no result event to follow for a task that never started: waiters on
            // this instance and, through the task channel, on every other one hear it now.
            await signals.PublishAsync(new TaskSignal(id, TaskSignalKind.Ended), cancellationToken);
        }
        return outcome.Result switch
        {
            CancelResult.Canceled => TypedResults.Ok(services.Views.Create(outcome.Task!)),
            CancelResult.AlreadyTerminal => TaskProblems.AlreadyFinished(id, outcome.Task!.Status),
            _ => TaskProblems.NotFound(id),
        };
    }
}
