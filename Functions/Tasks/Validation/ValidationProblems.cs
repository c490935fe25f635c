namespace SdServerless.Functions.Tasks.Validation;

/// <summary>The RFC 9457 answer for a request that is well-formed JSON but breaks rules: 422, every bad field named.</summary>
public static class ValidationProblems
{
    public static ProblemHttpResult From(ValidationErrors errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "One or more fields are invalid.",
        });

    public static ProblemHttpResult Single(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return From(errors);
    }
}
