using Microsoft.AspNetCore.Mvc;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Api;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Validation;
using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Retention;

public static class RetentionApi
{
    public static IEndpointRouteBuilder MapRetentionApi(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/v1/tasks/{id}/outputs", DeleteOutputs)
            .AddEndpointFilter<RequireApiKeyFilter>()
            .WithTags("Tasks")
            .WithName("DeleteTaskOutputs")
            .WithSummary("Delete a finished task's outputs now")
            .WithDescription("Deletes the task's output images from S3 and marks the task (outputs_deleted_at); presigned URLs handed out before answer 404 from then on.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Results<Ok<TaskView>, ProblemHttpResult>> DeleteOutputs(
        string id, HttpContext context, [FromServices] TaskTable tasks, [FromServices] OutputDeletion deletion, [FromServices] TaskViewFactory views,
        CancellationToken cancellationToken)
    {
        if (!TaskIdRule.IsValid(id))
        {
            return TaskProblems.InvalidId(id);
        }
        var task = await tasks.GetAsync(id, cancellationToken);
        if (task is null || task.Owner != CallerFeature.OwnerOf(context))
        {
            return TaskProblems.NotFound(id);
        }
        if (!TaskStatuses.IsTerminal(task.Status))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Task not finished",
                detail: $"Task '{id}' is {task.Status}; outputs can be deleted once it has ended.",
                extensions: new Dictionary<string, object?> { ["task_status"] = task.Status });
        }
        return TypedResults.Ok(views.Create(await deletion.DeleteAsync(task, cancellationToken)));
    }
}
