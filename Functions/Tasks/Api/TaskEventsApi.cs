using Microsoft.AspNetCore.Mvc;
using SdServerless.Aws.Recording;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Live;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tasks.Api;

/// <summary><c>GET /v1/tasks/{id}/events</c>: a task's Server-Sent Events, until it ends.</summary>
public static class TaskEventsApi
{
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>On AWS the stream is served by its own function, under its own role (docs/decisions/0332); its calls are recorded as that.</summary>
    public const string CallLogCaller = "events";

    public static IEndpointRouteBuilder MapTaskEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/tasks").AddEndpointFilter<RequireApiKeyFilter>().WithTags("Tasks")
            .MapGet("/{id}/events", StreamTaskEvents)
            .WithName("StreamTaskEvents")
            .WithSummary("Stream a task's status changes and progress as Server-Sent Events")
            .WithDescription("text/event-stream: a status event (the whole task) for each status change, a progress event (step, steps, share) for each progress, "
                + "ids of the form phase.step so that Last-Event-ID resumes, a comment line as keep-alive; the stream ends after the terminal status event. "
                + "Where streaming is not available, poll GET /v1/tasks/{id}.")
            .Produces<string>(StatusCodes.Status200OK, TaskEventStream.ContentType)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> StreamTaskEvents(
        string id,
        HttpContext context,
        [FromHeader(Name = LastEventIdHeader)] string? lastEventId,
        [AsParameters] TaskServices services,
        [FromServices] TaskEventStream stream,
        CancellationToken cancellationToken)
    {
        if (!TaskIdRule.IsValid(id))
        {
            return TaskProblems.InvalidId(id);
        }
        using var caller = AwsCallLog.As(CallLogCaller);
        var task = await services.Tasks.GetAsync(id, cancellationToken);
        if (task is null || task.Owner != CallerFeature.OwnerOf(context))
        {
            return TaskProblems.NotFound(id);
        }
        try
        {
            await stream.WriteAsync(task, TaskEventId.Parse(lastEventId), context.Response, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: nothing more to write.
        }
        return TypedResults.Empty;
    }
}
