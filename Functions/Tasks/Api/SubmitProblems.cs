namespace SdServerless.Functions.Tasks.Api;

public static class SubmitProblems
{
    /// <summary>The problem answers a submit route can give, the same for <c>/v1/tasks</c> and <c>/v1alpha2</c>.</summary>
    public static RouteHandlerBuilder ProducesSubmitProblems(this RouteHandlerBuilder route) => route
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
