using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Tasks.Api;

/// <summary>The AWS guidance's submit route, for its existing clients.</summary>
public static class GuidanceApi
{
    public static IEndpointRouteBuilder MapGuidanceApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1alpha2", SubmitGuidanceTask)
            .AddEndpointFilter<RequireApiKeyFilter>()
            .WithTags("Guidance compatibility")
            .WithName("SubmitGuidanceTask")
            .WithSummary("Submit a task in the AWS guidance's v1alpha2 format")
            .WithDescription("task.metadata.id becomes the task id (the same id with a different body is 409); the images go to s3://<bucket>/<prefix>/<id>.")
            .Accepts<GuidanceRequest>("application/json")
            .ProducesSubmitProblems();
        return app;
    }

    public static async Task<Results<Ok<GuidanceResponse>, ProblemHttpResult>> SubmitGuidanceTask(
        HttpContext context, [AsParameters] TaskServices services, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, FunctionsJsonContext.Default.GuidanceRequest, services.Options.MaxRequestBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new ValidationErrors();
        var submission = services.Validator.Validate(request!, CallerFeature.OwnerOf(context), errors);
        if (submission is null)
        {
            return ValidationProblems.From(errors);
        }
        var outcome = await services.Submitter.SubmitAsync(submission, CallerFeature.OwnerOf(context), idempotencyKey: null, cancellationToken);
        return TaskProblems.ForSubmit(outcome, context) is { } refused
            ? refused
            : TypedResults.Ok(new GuidanceResponse(outcome.Task!.Id, outcome.Task.Runtime, outcome.Task.Output.FolderUri(outcome.Task.Id)));
    }
}
