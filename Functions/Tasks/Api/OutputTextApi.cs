using Amazon.S3;
using Microsoft.AspNetCore.Mvc;
using SdServerless.Aws.TaskStore;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Views;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tasks.Api;

/// <summary>
/// <c>GET /v1/tasks/{id}/outputs/{index}/text</c>: an output image's PNG text chunks (the infotext), read through the
/// API so that a browser page needs no cross-origin access to the bucket.
/// </summary>
public static class OutputTextApi
{
    public static IEndpointRouteBuilder MapOutputTextApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/tasks/{id}/outputs/{index:int}/text", GetOutputText)
            .AddEndpointFilter<RequireApiKeyFilter>()
            .WithTags("Tasks")
            .WithName("GetOutputText")
            .WithSummary("An output image's PNG text chunks; 'parameters' is the AUTOMATIC1111 infotext")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return app;
    }

    public static async Task<Results<Ok<OutputTextView>, ProblemHttpResult>> GetOutputText(
        string id, int index, HttpContext context, [FromServices] TaskTable tasks, [FromServices] IAmazonS3 s3,
        [FromServices] ILogger<OutputTextView> logger, CancellationToken cancellationToken)
    {
        if (!TaskIdRule.IsValid(id))
        {
            return TaskProblems.InvalidId(id);
        }
        var task = await tasks.GetAsync(id, cancellationToken);
        if (task is null || task.Owner != CallerFeature.OwnerOf(context))
        {
            return NotFound($"No task '{id}' for this API key.");
        }
        if (index < 0 || index >= task.Outputs.Count)
        {
            return NotFound($"Task '{id}' has {task.Outputs.Count} outputs; there is no output {index}.");
        }
        var (bucket, key) = OutputUri.Parse(task.Outputs[index].S3Uri);
        try
        {
            using var image = await s3.GetObjectAsync(bucket, key, cancellationToken);
            return TypedResults.Ok(new OutputTextView(await PngTextChunks.ReadAsync(image.ResponseStream, cancellationToken)));
        }
        catch (Exception ex) when (ex is AmazonS3Exception or InvalidDataException or EndOfStreamException)
        {
            logger.LogWarning(ex, "Could not read the text of output {Index} of task {TaskId}", index, id);
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Output not readable",
                detail: $"Output {index} of task '{id}' could not be read as a PNG.");
        }
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
